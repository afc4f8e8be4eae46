package io.gatehouse.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.model.Http1Policy;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The HTTP/1.1 framing pipeline ({@code Http1FramingScanner → HttpServerCodec →
 * Http1RequestValidator}) in an {@link EmbeddedChannel}, fed whole and one byte at a time: the
 * scanner's state must not depend on how the bytes are split.
 */
class Http1FramingScannerTest {
  @Test
  void decoderConfigIsStrict() {
    HttpDecoderConfig c = ServerInitializer.decoderConfig();
    assertThat(c.isStrictLineParsing()).isTrue();
    assertThat(c.isAllowDuplicateContentLengths()).isFalse();
    assertThat(c.isUseRfc9112TransferEncoding()).isTrue();
  }

  @Test
  void validPipelinedRequestsPassWhateverTheSplit() {
    String raw = "POST /a HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
        + "2;x=y\r\nhe\r\n3\r\nllo\r\n0\r\nX-T: 1\r\n\r\n"
        + "PUT /b HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc"
        + "\r\nGET /c HTTP/1.0\r\n\r\n";
    for (boolean split : new boolean[]{false, true}) {
      List<String> seen = decode(raw, split);
      assertThat(seen).containsExactly("POST /a", "hello", "PUT /b", "abc", "GET /c", "");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"GET /a HTTP/1.1\r\nHost: h\r\nX: a\r\n b\r\n\r\n",
      "GET  /a HTTP/1.1\r\nHost: h\r\n\r\n", "GET /a http/1.1\r\nHost: h\r\n\r\n",
      "POST /a HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
          + "0\r\nContent-Length: 5\r\n\r\n",
      "POST /a HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nx",
      "GET /a HTTP/1.1\r\nHost: h\r\nHost: h\r\n\r\n"})
  void violationsFailTheRequestWhateverTheSplit(String raw) {
    for (boolean split : new boolean[]{false, true}) {
      List<String> seen = decode(raw, split);
      assertThat(seen).last().isEqualTo("FAILED 400");
    }
  }

  @Test
  void unknownCodingIs501() {
    assertThat(decode("POST /a HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip\r\n\r\n", true))
        .containsExactly("FAILED 501");
  }

  @Test
  void chunkExtensionsAreTokensOnly() {
    assertThat(Http1FramingScanner.isChunkExtensions(";a;b=c")).isTrue();
    assertThat(Http1FramingScanner.isChunkExtensions(";a=\"x\"")).isFalse();
    assertThat(Http1FramingScanner.isChunkExtensions("; a")).isFalse();
    assertThat(Http1FramingScanner.isChunkExtensions(";")).isFalse();
    assertThat(Http1FramingScanner.isChunkExtensions(";a=")).isFalse();
  }

  @Test
  void hostValues() {
    assertThat(Http1RequestValidator.isHostValue("example.com:8080")).isTrue();
    assertThat(Http1RequestValidator.isHostValue("[::1]:80")).isTrue();
    assertThat(Http1RequestValidator.isHostValue("")).isTrue();
    assertThat(Http1RequestValidator.isHostValue("a@b")).isFalse();
    assertThat(Http1RequestValidator.isHostValue("a b")).isFalse();
    assertThat(Http1RequestValidator.isHostValue("a:b")).isFalse();
    assertThat(Http1RequestValidator.isHostValue("[::1")).isFalse();
  }

  /** Request heads as "METHOD uri", bodies as text, a failure as "FAILED status"; releases all. */
  private static List<String> decode(String raw, boolean byteByByte) {
    List<String> seen = new ArrayList<>();
    StringBuilder body = new StringBuilder();
    decodeEach(raw, byteByByte, m -> {
      if (m.decoderResult().isFailure()) {
        seen.add("FAILED " + Http1Violation.statusOf(m.decoderResult().cause()));
      } else if (m instanceof HttpRequest r) {
        seen.add(r.method() + " " + r.uri());
      }
      if (m instanceof HttpContent c && m.decoderResult().isSuccess()) {
        body.append(c.content().toString(StandardCharsets.ISO_8859_1));
        if (m instanceof LastHttpContent) {
          seen.add(body.toString());
          body.setLength(0);
        }
      }
    });
    return seen;
  }

  /**
   * Feeds {@code raw} through {@code Http1FramingScanner → HttpServerCodec →
   * Http1RequestValidator}, whole or one byte at a time, hands each message decoded to {@code each}
   * and releases it.
   */
  static void decodeEach(String raw, boolean byteByByte, Consumer<HttpObject> each) {
    Http1Policy policy = Http1Policy.defaults();
    EmbeddedChannel ch = new EmbeddedChannel(new Http1FramingScanner(policy),
        ServerInitializer.serverCodec(), new Http1RequestValidator(policy));
    byte[] bytes = raw.getBytes(StandardCharsets.ISO_8859_1);
    if (byteByByte) {
      for (byte b : bytes) {
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[]{b}));
      }
    } else {
      ch.writeInbound(Unpooled.wrappedBuffer(bytes));
    }
    for (Object o; (o = ch.readInbound()) != null;) {
      try {
        each.accept((HttpObject) o);
      } finally {
        ReferenceCountUtil.release(o);
      }
    }
    ch.finishAndReleaseAll();
  }
}
