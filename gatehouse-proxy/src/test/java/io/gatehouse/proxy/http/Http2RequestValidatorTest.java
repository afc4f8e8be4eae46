package io.gatehouse.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 9113 §8 checks of {@link Http2RequestValidator}, table-driven on an EmbeddedChannel. */
class Http2RequestValidatorTest {
  private final EmbeddedChannel ch = new EmbeddedChannel(new Http2RequestValidator());

  @AfterEach
  void nothingLeftOver() {
    ch.finishAndReleaseAll();
  }

  private static Http2Headers request(String method, String path) {
    Http2Headers h = new DefaultHttp2Headers(false).method(method).scheme("http")
        .authority("a.test");
    return path.equals("-") ? h : h.path(path);
  }

  @ParameterizedTest
  @CsvSource({
      "GET, /x, x-ok, 1",
      "GET, /x, te, trailers",
      "GET, /x, host, A.test",
      "OPTIONS, *, x-ok, 1",
  })
  void passesWellFormedRequests(String method, String path, String name, String value) {
    Http2HeadersFrame frame = new DefaultHttp2HeadersFrame(
        request(method, path).add(name, value), true);
    ch.writeInbound(frame);
    assertThat((Object) ch.readInbound()).isSameAs(frame);
    assertThat((Object) ch.readOutbound()).isNull();
    assertThat(ch.isOpen()).isTrue();
  }

  @ParameterizedTest
  @CsvSource({
      "GET, /x, connection, keep-alive",
      "GET, /x, keep-alive, 5",
      "GET, /x, proxy-connection, x",
      "GET, /x, transfer-encoding, chunked",
      "GET, /x, upgrade, h2c",
      "GET, /x, te, gzip",
      "GET, /x, host, b.test",
      "GET, -, x-ok, 1",
      "GET, '', x-ok, 1",
      "GET, pkg.Svc/Method, x-ok, 1",
      "GET, *, x-ok, 1",
  })
  void resetsMalformedRequests(String method, String path, String name, String value) {
    ch.writeInbound(new DefaultHttp2HeadersFrame(request(method, path).add(name, value), false));
    assertReset(Http2Error.PROTOCOL_ERROR);
  }

  @Test
  void resetsPseudoHeadersInTrailers() {
    ch.writeInbound(new DefaultHttp2HeadersFrame(request("POST", "/x"), false));
    assertThat((Object) ch.readInbound()).isNotNull();
    ch.writeInbound(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers(false).path("/y"), true));
    assertReset(Http2Error.PROTOCOL_ERROR);
  }

  @Test
  void answersConnectWith405() {
    ch.writeInbound(new DefaultHttp2HeadersFrame(
        new DefaultHttp2Headers().method("CONNECT").authority("a.test:443"), false));
    Http2HeadersFrame answer = ch.readOutbound();
    assertThat(answer.headers().status()).hasToString("405");
    assertThat(answer.isEndStream()).isTrue();
    assertThat((Object) ch.readInbound()).isNull();
  }

  @Test
  void resetsWithTheCodeOfAStreamErrorNettyFound() {
    ch.pipeline().fireExceptionCaught(
        Http2Exception.streamError(1, Http2Error.PROTOCOL_ERROR, "content-length mismatch"));
    assertReset(Http2Error.PROTOCOL_ERROR);
  }

  private void assertReset(Http2Error error) {
    Http2ResetFrame reset = ch.readOutbound();
    assertThat(reset.errorCode()).isEqualTo(error.code());
    assertThat((Object) ch.readInbound()).isNull();
    assertThat(ch.isOpen()).isFalse();
  }
}
