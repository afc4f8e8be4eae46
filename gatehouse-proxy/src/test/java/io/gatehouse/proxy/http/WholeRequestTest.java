package io.gatehouse.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Http1RequestValidator} hands on a bodiless request as one {@code FullHttpRequest}, and a
 * request with a body as its head and parts, whatever the split of the bytes.
 */
class WholeRequestTest {
  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void bodilessRequestsAreWhole(boolean byteByByte) {
    assertThat(decode("GET /a HTTP/1.1\r\nHost: h\r\n\r\n"
        + "DELETE /b HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n"
        + "GET /c HTTP/1.0\r\n\r\n", byteByByte))
        .containsExactly("FULL GET /a", "FULL DELETE /b", "FULL GET /c");
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void requestsWithABodyKeepTheirParts(boolean byteByByte) {
    List<String> seen = decode("POST /p HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc"
        + "POST /q HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
        + "GET /r HTTP/1.1\r\nHost: h\r\n\r\n", byteByByte);
    assertThat(seen).first().isEqualTo("HEAD POST /p");
    assertThat(seen).contains("HEAD POST /q").endsWith("FULL GET /r");
    assertThat(String.join("", seen)).contains("abc").doesNotContain("FULL POST");
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void refusedHeadIsNotMadeWhole(boolean byteByByte) {
    assertThat(decode("GET /a HTTP/1.1\r\n\r\n", byteByByte)).containsExactly("FAILED 400");
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void absoluteFormIsResolvedBeforeTheRequestIsMadeWhole(boolean byteByByte) {
    assertThat(decode("GET http://example.com/x?y HTTP/1.1\r\nHost: other\r\n\r\n", byteByByte))
        .containsExactly("FULL GET /x?y host=example.com");
  }

  /** Heads as "HEAD|FULL METHOD uri", parts by their text, failures as "FAILED status". */
  private static List<String> decode(String raw, boolean byteByByte) {
    List<String> seen = new ArrayList<>();
    Http1FramingScannerTest.decodeEach(raw, byteByByte, m -> {
      if (m.decoderResult().isFailure()) {
        seen.add("FAILED " + Http1Violation.statusOf(m.decoderResult().cause()));
      } else if (m instanceof FullHttpRequest r) {
        assertThat(r.content().isReadable()).isFalse();
        String host = r.headers().get("host");
        seen.add("FULL " + r.method() + " " + r.uri()
            + (host != null && !host.equals("h") ? " host=" + host : ""));
      } else if (m instanceof HttpRequest r) {
        seen.add("HEAD " + r.method() + " " + r.uri());
      } else if (m instanceof HttpContent c && c.content().isReadable()) {
        seen.add(c.content().toString(StandardCharsets.ISO_8859_1));
      } else if (!(m instanceof LastHttpContent)) {
        seen.add("PART");
      }
    });
    return seen;
  }
}
