package io.gatehouse.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.model.Action;
import io.gatehouse.model.HttpListener;
import io.gatehouse.model.PathMatch;
import io.gatehouse.model.PathRewrite;
import io.gatehouse.model.Route;
import io.gatehouse.model.RouteMatch;
import io.gatehouse.model.VirtualHost;
import io.gatehouse.proxy.route.RouteTable;
import io.gatehouse.proxy.upstream.UpstreamPool;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.gatehouse.proxy.flow.ReadDemandHandler;
import io.netty.handler.timeout.IdleStateEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The downstream pipeline on an {@link EmbeddedChannel}, for everything answered without an
 * upstream: local responses, 404, body discarding, keep-alive and rejection of malformed requests.
 * Every test ends with nothing left unreleased (and the class with the leak check).
 */
class DownstreamHandlerTest {
  private static final RouteTable TABLE = RouteTable.of(new HttpListener("l", "127.0.0.1", 80,
      List.of(new VirtualHost(List.of("a.test"),
          List.of(new Route("teapot", RouteMatch.of(new PathMatch.Prefix("/tea")), List.of(),
              new Action.DirectResponse(418, "short and stout")),
              new Route("moved", RouteMatch.of(new PathMatch.Prefix("/old")), List.of(),
                  new Action.Redirect("https", null,
                      new PathRewrite.ReplacePrefixMatch("/old", "/new"), null, 301)))),
          new VirtualHost(List.of("r.test"), List.of(new Route("stay", RouteMatch.of(
              new PathMatch.Prefix("/")), List.of(),
              new Action.Redirect(null, null, null, null, 302)))))),
      Map.of());

  private final EmbeddedChannel ch = new EmbeddedChannel(new AutoReadOff(),
      ServerInitializer.serverCodec(),
      new ReadDemandHandler(), new HttpServerKeepAliveHandler(),
      new DownstreamHandler(() -> TABLE,
          new UpstreamPool(NioSocketChannel.class, Duration.ofSeconds(1), 1),
          ListenerOrigin.http(80)));

  @AfterEach
  void releaseEverything() {
    ch.finishAndReleaseAll();
  }

  @Test
  void directResponse() {
    send("GET /tea HTTP/1.1\r\nHost: a.test\r\n\r\n");
    assertThat(output()).startsWith("HTTP/1.1 418 ").contains("content-length: 15")
        .endsWith("\r\n\r\nshort and stout");
    assertThat(ch.isOpen()).isTrue();
  }

  @Test
  void localAnswerToHeadHasNoBody() {
    send("HEAD /tea HTTP/1.1\r\nHost: a.test\r\n\r\nGET /tea HTTP/1.1\r\nHost: a.test\r\n\r\n");
    String out = output();
    assertThat(out).startsWith("HTTP/1.1 418 ").contains("content-length: 15\r\n\r\nHTTP/1.1 418 ")
        .endsWith("short and stout");
    assertThat(out.split("short and stout", -1)).hasSize(2);
  }

  @Test
  void unknownHostOrPathIs404() {
    send("GET /tea HTTP/1.1\r\nHost: b.test\r\n\r\nGET /coffee HTTP/1.1\r\nHost: a.test\r\n\r\n");
    String out = output();
    assertThat(out.split("HTTP/1.1 404 Not Found", -1)).hasSize(3);
    assertThat(out).contains("route not found");
  }

  @Test
  void bodyOfALocallyAnsweredRequestIsDiscardedAndTheConnectionReused() {
    send("POST /nope HTTP/1.1\r\nHost: a.test\r\nContent-Length: 5\r\n\r\nhello"
        + "POST /tea HTTP/1.1\r\nHost: a.test\r\nTransfer-Encoding: chunked\r\n\r\n"
        + "3\r\nabc\r\n0\r\n\r\n" + "GET /tea HTTP/1.1\r\nHost: a.test\r\n\r\n");
    String out = output();
    assertThat(out).startsWith("HTTP/1.1 404").contains("HTTP/1.1 418");
    assertThat(out.split("HTTP/1.1 418", -1)).hasSize(3);
    assertThat(ch.isOpen()).isTrue();
  }

  @Test
  void redirectHasLocationAndNoBodyAndDiscardsTheRequestBody() {
    send("POST /old/x?q=1 HTTP/1.1\r\nHost: a.test:8080\r\nContent-Length: 5\r\n\r\nhello"
        + "GET /p HTTP/1.1\r\nHost: r.test\r\n\r\n");
    String out = output();
    assertThat(out).startsWith("HTTP/1.1 301 Moved Permanently\r\n")
        .contains("location: https://a.test/new/x?q=1\r\n", "content-length: 0\r\n",
            "HTTP/1.1 302 Found\r\n", "location: http://r.test/p\r\n")
        .doesNotContain("hello");
    assertThat(ch.isOpen()).isTrue();
  }

  @Test
  void redirectWithoutAUsableHostIs400() {
    RouteTable any = RouteTable.of(new HttpListener("l", "127.0.0.1", 80, List.of(
        new VirtualHost(List.of("*"), List.of(new Route("r", RouteMatch.of(
            new PathMatch.Prefix("/")), List.of(),
            new Action.Redirect(null, null, null, null, 302)))))),
        Map.of());
    EmbeddedChannel other = new EmbeddedChannel(new AutoReadOff(),
        ServerInitializer.serverCodec(), new ReadDemandHandler(),
        new HttpServerKeepAliveHandler(), new DownstreamHandler(() -> any,
            new UpstreamPool(NioSocketChannel.class, Duration.ofSeconds(1), 1),
            ListenerOrigin.http(80)));
    try {
      other.writeInbound(Unpooled.copiedBuffer("GET /p HTTP/1.0\r\n\r\n"
          + "GET /p HTTP/1.1\r\nHost: a<b\r\n\r\n", StandardCharsets.US_ASCII));
      other.runPendingTasks();
      StringBuilder out = new StringBuilder();
      for (ByteBuf b; (b = other.readOutbound()) != null;) {
        out.append(b.toString(StandardCharsets.US_ASCII));
        b.release();
      }
      assertThat(out.toString()).startsWith("HTTP/1.1 400").contains("no valid Host")
          .doesNotContain("location");
    } finally {
      other.finishAndReleaseAll();
    }
  }

  @Test
  void connectionCloseIsHonoured() {
    send("GET /tea HTTP/1.1\r\nHost: a.test\r\nConnection: close\r\n\r\n");
    assertThat(output()).startsWith("HTTP/1.1 418").contains("connection: close");
    assertThat(ch.isOpen()).isFalse();
  }

  @Test
  void contentLengthWithTransferEncodingIs400AndClose() {
    send("POST /tea HTTP/1.1\r\nHost: a.test\r\nContent-Length: 3\r\n"
        + "Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n");
    assertThat(output()).startsWith("HTTP/1.1 400 Bad Request");
    assertThat(ch.isOpen()).isFalse();
  }

  @Test
  void badChunkClosesTheConnection() {
    send("POST /tea HTTP/1.1\r\nHost: a.test\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n");
    // The local answer was complete before the broken chunk arrived: no second (400) response.
    String out = output();
    assertThat(out).startsWith("HTTP/1.1 418").doesNotContain("400");
    assertThat(ch.isOpen()).isFalse();
  }

  @Test
  void oversizedHeaderIs431AndClose() {
    // SECURITY.md B5: a header block over 60 KiB answers 431 (it was 400 over 16 KiB before).
    send("GET /tea HTTP/1.1\r\nHost: a.test\r\nX-Big: " + "x".repeat(61 * 1024) + "\r\n\r\n");
    assertThat(output()).startsWith("HTTP/1.1 431 Request Header Fields Too Large");
    assertThat(ch.isOpen()).isFalse();
  }

  @Test
  void pathMustBeAbsoluteAndARefusalCloses() {
    // Absolute-form reaches this handler only without Http1RequestValidator (which resolves it).
    send("GET http://a.test/tea HTTP/1.1\r\nHost: a.test\r\n\r\n");
    assertThat(output()).startsWith("HTTP/1.1 400 Bad Request").contains("must start with '/'");
    assertThat(ch.isOpen()).isFalse();
  }

  @Test
  void optionsAsteriskIsRouted() {
    send("OPTIONS * HTTP/1.1\r\nHost: a.test\r\n\r\n");
    assertThat(output()).startsWith("HTTP/1.1 404");
    assertThat(ch.isOpen()).isTrue();
  }

  @Test
  void drainClosesAnIdleConnection() {
    send("GET /tea HTTP/1.1\r\nHost: a.test\r\n\r\n");
    assertThat(output()).startsWith("HTTP/1.1 418");
    ch.pipeline().fireUserEventTriggered(DrainEvent.INSTANCE);
    ch.runPendingTasks();
    assertThat(ch.isOpen()).isFalse();
  }

  @Test
  void idleTimeoutClosesOnlyBetweenRequests() {
    send("POST /tea HTTP/1.1\r\nHost: a.test\r\nContent-Length: 10\r\n\r\nhalf");
    assertThat(output()).startsWith("HTTP/1.1 418");
    ch.pipeline().fireUserEventTriggered(IdleStateEvent.ALL_IDLE_STATE_EVENT);
    assertThat(ch.isOpen()).as("request body still arriving").isTrue();
    send("-body!");
    ch.pipeline().fireUserEventTriggered(IdleStateEvent.ALL_IDLE_STATE_EVENT);
    assertThat(ch.isOpen()).isFalse();
  }

  /** As in production: nothing is read unless a handler asks. */
  static final class AutoReadOff extends ChannelInboundHandlerAdapter {
    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
      ctx.channel().config().setAutoRead(false);
    }
  }

  private void send(String raw) {
    ch.writeInbound(Unpooled.copiedBuffer(raw, StandardCharsets.US_ASCII));
    ch.runPendingTasks();
  }

  private String output() {
    StringBuilder sb = new StringBuilder();
    for (Object o; (o = ch.readOutbound()) != null;) {
      ByteBuf b = (ByteBuf) o;
      sb.append(b.toString(StandardCharsets.US_ASCII));
      b.release();
    }
    return sb.toString();
  }
}
