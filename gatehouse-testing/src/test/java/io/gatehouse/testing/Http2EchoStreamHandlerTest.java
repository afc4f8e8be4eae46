package io.gatehouse.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class Http2EchoStreamHandlerTest {

  private final EchoResponder responder = new EchoResponder(
      EchoOptions.of("127.0.0.1", 3000, "p-1-2", "ns"),
      new RequestLog(), Clock.systemUTC());
  private final EmbeddedChannel stream = new EmbeddedChannel(new Http2EchoStreamHandler(responder));

  @AfterEach
  void finish() {
    stream.finishAndReleaseAll();
  }

  private static DefaultHttp2HeadersFrame get(String path, boolean endStream) {
    return new DefaultHttp2HeadersFrame(
        new DefaultHttp2Headers().method("GET").scheme("http").path(path)
            .authority("example.com").add("x-header-set", "a").add("cookie", "a=1")
            .add("cookie", "b=2"),
        endStream);
  }

  @Test
  void echoesAfterTheLastDataFrameAndReleasesIt() {
    ByteBuf body = Unpooled.copiedBuffer("hello", StandardCharsets.UTF_8);

    stream.writeInbound(get("/h2?x=1", false), new DefaultHttp2DataFrame(body, true));

    Http2HeadersFrame headers = stream.readOutbound();
    Http2DataFrame data = stream.readOutbound();
    try {
      assertThat(headers.headers().status()).hasToString("200");
      assertThat(headers.headers().get("content-type")).hasToString("application/json");
      assertThat(headers.isEndStream()).isFalse();
      assertThat(data.isEndStream()).isTrue();
      assertThat(headers.headers().getInt("content-length"))
          .isEqualTo(data.content().readableBytes());
      String json = data.content().toString(StandardCharsets.UTF_8);
      assertThat(json).contains("\"proto\": \"HTTP/2.0\"", "\"host\": \"example.com\"",
          "\"path\": \"/h2?x=1\"",
          "\"X-Header-Set\": [", "\"a=1; b=2\"");
    } finally {
      data.release();
    }
    assertThat(body.refCnt()).isZero();
  }

  @Test
  void emptyBodiesEndTheStreamOnTheHeadersFrame() {
    stream.writeInbound(get("/status/204", true));

    Http2HeadersFrame headers = stream.readOutbound();
    assertThat(headers.headers().status()).hasToString("204");
    assertThat(headers.isEndStream()).isTrue();
    assertThat((Object) stream.readOutbound()).isNull();
  }

  @Test
  void headResponsesHaveNoData() {
    stream.writeInbound(new DefaultHttp2HeadersFrame(
        new DefaultHttp2Headers().method("HEAD").scheme("http").path("/").authority("x"), true));

    Http2HeadersFrame headers = stream.readOutbound();
    assertThat(headers.headers().status()).hasToString("200");
    assertThat(headers.headers().getInt("content-length")).isPositive();
    assertThat(headers.isEndStream()).isTrue();
    assertThat((Object) stream.readOutbound()).isNull();
  }

  @Test
  void abortResetsTheStream() {
    stream.writeInbound(get("/retry/?uuid=h2-unit&succeedAfter=1", true));

    Http2ResetFrame reset = stream.readOutbound();
    assertThat(reset.errorCode()).isEqualTo(Http2Error.INTERNAL_ERROR.code());
  }
}
