package io.gatehouse.proxy.edge;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SECURITY.md A11: an upstream whose response is ambiguous gets the same suspicion as a client. A
 * malformed head (Content-Length with Transfer-Encoding, two Content-Lengths, CR or LF inside a
 * value) is answered 502; a response followed by more bytes than its framing says (surplus body, an
 * unsolicited second response) is relayed as framed. Either way the upstream connection is closed,
 * never pooled: the next client request reaches the upstream on a new connection and gets its own
 * response, never the leftover bytes, even when the leftover holds no line end and so decodes to
 * nothing.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Http1UpstreamIT {
  private static final String GOOD = "HTTP/1.1 200 OK\r\nX-Recorded: 1\r\nContent-Length: 4\r\n\r\ngood";

  private EdgeFixture edge;

  @BeforeAll
  void start() {
    edge = new EdgeFixture();
  }

  @AfterAll
  void stop() {
    edge.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
      "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!",
      "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello",
      "HTTP/1.1 200 OK\r\nX: a\rb\r\nContent-Length: 5\r\n\r\nhello",
      "HTTP/1.1 200 OK\r\nX: a\nSet-Cookie: b\r\nContent-Length: 5\r\n\r\nhello",
      "HTTP/1.1 200 OK\nContent-Length: 5\r\n\r\nhello",
      "HTTP/1.1 200 OK\r\nContent-Length: +5\r\n\r\nhello"})
  void malformedResponseHeadIs502AndNotReused(String response) {
    EdgeClient.Response first = exchange(response);
    assertThat(first.status()).isEqualTo(502);
    nextRequestUsesANewConnection();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhelloHTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nevil",
      "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhelloEXTRA\r\n\r\n",
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"
          + "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nevil"})
  void surplusAfterAResponseIsDroppedWithItsConnection(String response) {
    EdgeClient.Response first = exchange(response);
    assertThat(first.status()).isEqualTo(200);
    assertThat(first.body()).isEqualTo("hello");
    nextRequestUsesANewConnection();
  }

  /**
   * Surplus bytes without any line end decode to nothing: they wait inside the response decoder,
   * and the connection is still never reused. The next request is served on a new connection and
   * the leftover never reaches a client.
   */
  @ParameterizedTest
  @ValueSource(strings = {
      "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhelloEXTRA",
      "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhelloH",
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\ngarbage",
      "HTTP/1.1 204 No Content\r\n\r\nHTTP/1.1 200"})
  void surplusWithoutLineEndIsDroppedWithItsConnection(String response) {
    EdgeClient.Response first = exchange(response);
    assertThat(first.status()).isIn(200, 204);
    assertThat(first.body()).isIn("hello", "");
    nextRequestUsesANewConnection();
  }

  /** Request 0 gets {@code response}, every later one {@link #GOOD}. */
  private EdgeClient.Response exchange(String response) {
    edge.upstream.reset();
    edge.upstream.script(n -> (n == 0 ? response : GOOD).getBytes(StandardCharsets.ISO_8859_1));
    try (EdgeClient c = edge.client()) {
      EdgeClient.Response r = c.send("GET /first HTTP/1.1\r\nHost: edge.test\r\n\r\n").read();
      assertThat(r).isNotNull();
      return r;
    }
  }

  private void nextRequestUsesANewConnection() {
    try (EdgeClient c = edge.client()) {
      EdgeClient.Response r = c.send("GET /second HTTP/1.1\r\nHost: edge.test\r\n\r\n").read();
      assertThat(r).isNotNull();
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("good");
    }
    RecordingUpstream.Connection first = null;
    RecordingUpstream.Connection second = null;
    for (RecordingUpstream.Connection c : edge.upstream.connections()) {
      for (RecordingUpstream.Request r : c.requests()) {
        if (r.requestLine().startsWith("GET /first")) {
          first = c;
        } else if (r.requestLine().startsWith("GET /second")) {
          second = c;
        }
      }
    }
    assertThat(first).isNotNull();
    assertThat(second).as("a different upstream connection").isNotNull().isNotSameAs(first);
    assertThat(second.requests()).hasSize(1);
  }
}
