package io.gatehouse.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link UpstreamHttpCodec}'s decoder: a final response whose body is all in one read leaves as one
 * {@code FullHttpResponse}; anything else leaves as Netty decodes it.
 */
class UpstreamHttpCodecTest {
  private final UpstreamHttpCodec codec = new UpstreamHttpCodec(
      UpstreamPool.responseDecoderConfig());
  private final EmbeddedChannel ch = new EmbeddedChannel(codec);

  @AfterEach
  void close() {
    ch.finishAndReleaseAll();
  }

  @Test
  void responseReadWholeIsOneMessage() {
    send(HttpMethod.GET);
    List<String> seen = receive("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-A: 1\r\n\r\nhello");
    assertThat(seen).containsExactly("FULL 200 x-a=1 hello");
  }

  @Test
  void bodyStillArrivingLeavesAsHeadAndParts() {
    send(HttpMethod.GET);
    List<String> seen = receive("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhe");
    seen.addAll(receive("llo"));
    assertThat(seen).containsExactly("HEAD 200", "PART he", "LAST llo");
  }

  @Test
  void emptyAndBodilessResponsesAreWhole() {
    send(HttpMethod.GET);
    send(HttpMethod.HEAD);
    send(HttpMethod.GET);
    List<String> seen = receive("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"
        + "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n" // HEAD: no body whatever the length
        + "HTTP/1.1 204 No Content\r\n\r\n");
    assertThat(seen).containsExactly("FULL 200 ", "FULL 200 ", "FULL 204 ");
  }

  @Test
  void chunkedAndInterimResponsesLeaveAsNettyDecodesThem() {
    send(HttpMethod.POST);
    send(HttpMethod.GET);
    List<String> seen = receive("HTTP/1.1 100 Continue\r\n\r\n"
        + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
        + "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n0\r\n\r\n");
    assertThat(seen).containsExactly("HEAD 100", "LAST ", "FULL 200 ok", "HEAD 200", "PART ab",
        "LAST ");
  }

  @Test
  void bytesBehindAWholeResponseStayVisible() {
    send(HttpMethod.GET);
    List<String> seen = receive("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokX");
    assertThat(seen).containsExactly("FULL 200 ok");
    assertThat(codec.hasUndecodedBytes()).isTrue();
  }

  @Test
  void bodyLargerThanOnePartIsNotMadeWhole() {
    send(HttpMethod.GET);
    int size = UpstreamPool.responseDecoderConfig().getMaxChunkSize() + 1;
    List<String> seen = receive("HTTP/1.1 200 OK\r\nContent-Length: " + size + "\r\n\r\n"
        + "a".repeat(size));
    assertThat(seen).hasSizeGreaterThan(1).first().isEqualTo("HEAD 200");
  }

  private void send(HttpMethod method) {
    ch.writeOutbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, "/"));
    for (Object o; (o = ch.readOutbound()) != null;) {
      ReferenceCountUtil.release(o);
    }
  }

  /** Feeds bytes; describes each message decoded (bodies longer than 16 bytes abbreviated). */
  private List<String> receive(String raw) {
    ch.writeInbound(Unpooled.copiedBuffer(raw, StandardCharsets.ISO_8859_1));
    List<String> seen = new ArrayList<>();
    for (Object o; (o = ch.readInbound()) != null;) {
      try {
        assertThat(((io.netty.handler.codec.http.HttpObject) o).decoderResult().isSuccess())
            .isTrue();
        if (o instanceof FullHttpResponse f) {
          String a = f.headers().get("x-a");
          seen.add("FULL " + f.status().code() + " " + (a == null ? "" : "x-a=" + a + " ")
              + body(f));
        } else if (o instanceof HttpResponse r) {
          seen.add("HEAD " + r.status().code());
        } else if (o instanceof LastHttpContent c) {
          seen.add("LAST " + body(c));
        } else if (o instanceof HttpContent c) {
          seen.add("PART " + body(c));
        }
      } finally {
        ReferenceCountUtil.release(o);
      }
    }
    return seen;
  }

  private static String body(HttpContent c) {
    String s = c.content().toString(StandardCharsets.ISO_8859_1);
    return s.length() > 16 ? s.substring(0, 16) + "…" : s;
  }
}
