package io.gatehouse.proxy.edge;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SECURITY.md A1, A2, A4 (the generated Transfer-Encoding matrix and its extras), A5 to A9, A12 and
 * A14 against one edge and one {@link RecordingUpstream}, each asserted on the status, the close
 * and the exact bytes the upstream received.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Http1FramingIT {
  private static final String POST = "POST /p HTTP/1.1\r\nHost: edge.test\r\n";
  private static final String CHUNKED = "Transfer-Encoding: chunked\r\n\r\n";
  /** Bytes of the A4 matrix: controls, SP, DEL and Latin-1 (NBSP, y-umlaut). */
  private static final int[] MUTATION_BYTES = {0x01, 0x04, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x1f,
      0x20, 0x7f, 0xa0, 0xff};

  private EdgeFixture edge;

  @BeforeAll
  void start() {
    edge = new EdgeFixture();
  }

  @AfterAll
  void stop() {
    edge.close();
  }

  // ---- A1, A2: Content-Length ----

  @Test
  void a1ContentLengthWithTransferEncodingIsRefused() {
    refused(POST + "Content-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n"
        + "0\r\n\r\nGPOST / HTTP/1.1\r\nHost: edge.test\r\n\r\n", 400);
  }

  @ParameterizedTest
  @ValueSource(strings = {"Content-Length: 1000\r\nContent-Length: 100",
      "Content-Length: 5\r\nContent-Length: 5", "Content-Length: 1000,1000",
      "Content-Length: 1000 1000", "Content-Length: +5", "Content-Length: -1",
      "Content-Length: 0x10", "Content-Length: 1_0", "Content-Length: 18446744073709551616",
      "Content-Length: 5\u0011", "Content-Length:", "Content-Length: 5.0"})
  void a2MalformedOrDuplicateContentLengthIsRefused(String field) {
    refused(POST + field + "\r\n\r\nhello", 400);
  }

  // ---- A4: Transfer-Encoding ----

  /** 13 bytes x 10 positions + 4 legal spellings = 134 generated cases. */
  static Stream<Arguments> transferEncodingMatrix() {
    List<Arguments> all = new ArrayList<>();
    for (int b : MUTATION_BYTES) {
      String x = String.valueOf((char) b);
      String hex = String.format("0x%02x", b);
      all.add(Arguments.of("before name " + hex, x + "Transfer-Encoding: chunked"));
      all.add(Arguments.of("inside name " + hex, "Transfer" + x + "-Encoding: chunked"));
      all.add(Arguments.of("after name " + hex, "Transfer-Encoding" + x + ": chunked"));
      all.add(Arguments.of("before value " + hex, "Transfer-Encoding:" + x + "chunked"));
      all.add(Arguments.of("after SP before value " + hex, "Transfer-Encoding: " + x + "chunked"));
      all.add(Arguments.of("after value " + hex, "Transfer-Encoding: chunked" + x));
      all.add(Arguments.of("inside value " + hex, "Transfer-Encoding: chun" + x + "ked"));
      all.add(
          Arguments.of("in preceding header " + hex, "X: a" + x + "Transfer-Encoding: chunked"));
      all.add(Arguments.of("preceding header + LF " + hex,
          "X: a\n" + x + "Transfer-Encoding: chunked"));
      all.add(Arguments.of("preceding header + CR " + hex,
          "X: a\r" + x + "Transfer-Encoding: chunked"));
    }
    all.add(Arguments.of("lower case", "transfer-encoding: chunked"));
    all.add(Arguments.of("upper case value", "Transfer-Encoding: CHUNKED"));
    all.add(Arguments.of("no OWS", "Transfer-Encoding:chunked"));
    all.add(Arguments.of("tab OWS", "Transfer-Encoding:\tchunked\t"));
    return all.stream();
  }

  @Test
  void matrixHas134Cases() {
    assertThat(transferEncodingMatrix().count()).isEqualTo(134);
  }

  /**
   * Only a legal spelling of a single {@code Transfer-Encoding: chunked} is forwarded, re-chunked
   * and spelled {@code chunked}: exactly one request with body {@code hello}. A mutation that makes
   * the line part of a legal value of a preceding field ({@code X: a<HTAB>Transfer-Encoding...}) is
   * no Transfer-Encoding at all: that request is forwarded without a body and the chunked bytes
   * after it are refused as the next request. Everything else is refused with 400 or 501 and
   * nothing reaches the upstream.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("transferEncodingMatrix")
  void a4TransferEncodingMutations(String name, String line) {
    String raw = POST + line + "\r\n\r\n5\r\nhello\r\n0\r\n\r\n";
    if (line.matches("(?i)(X: a\r\n)?Transfer-Encoding:[ \t]*chunked[ \t]*")) {
      forwarded(raw, "hello");
      assertThat(edge.upstream.requests().get(0).header("transfer-encoding")).isEqualTo("chunked");
    } else if (line.matches("X: a[\t \u0080-\u00ff]Transfer-Encoding: chunked")) {
      edge.upstream.reset();
      try (EdgeClient c = edge.client()) {
        c.send(Http1DesyncCorpusIT.bytes(raw));
        assertThat(c.read().headers()).as("forwarded").containsKey("x-recorded");
        assertThat(c.read().status()).as("the body bytes as a request").isEqualTo(400);
        assertThat(c.closedByServer()).isTrue();
      }
      assertThat(edge.upstream.requests()).hasSize(1);
      RecordingUpstream.Request up = edge.upstream.requests().get(0);
      assertThat(up.body()).isEmpty();
      assertThat(up.header("transfer-encoding")).isNull();
      assertThat(up.header("x")).endsWith("Transfer-Encoding: chunked");
    } else {
      refused(raw, 400, 501);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"Transfer-Encoding: xchunked", "Transfer-Encoding: chunked, identity",
      "Transfer-Encoding: identity, chunked", "Transfer-Encoding: chunked, xchunked",
      "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked",
      "Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked", "Transfer-Encoding:\r\n chunked",
      "Transfer-Encoding: chunked;q=1", "Transfer-Encoding: \"chunked\"",
      "Transfer-Encoding: chunked,"})
  void a4TransferEncodingExtrasAreRefused(String field) {
    refused(POST + field + "\r\n\r\n5\r\nhello\r\n0\r\n\r\n", 400, 501);
  }

  @Test
  void a4UnknownCodingIs501() {
    refused(POST + "Transfer-Encoding: gzip, chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", 501);
    refused(POST + "Transfer-Encoding: xchunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", 501);
  }

  @Test
  void a4TransferEncodingInHttp10IsRefused() {
    refused("POST /p HTTP/1.0\r\nHost: edge.test\r\n" + CHUNKED + "5\r\nhello\r\n0\r\n\r\n", 400);
  }

  // ---- A5: chunked bodies ----

  @ParameterizedTest
  @ValueSource(strings = {"5\nhello\r\n0\r\n\r\n", "5;a=\"x\r\ny\"\r\nhello\r\n0\r\n\r\n",
      "5;a=\"x;y\"\r\nhello\r\n0\r\n\r\n", "5\r;x\r\nhello\r\n0\r\n\r\n",
      "Z\r\nhello\r\n0\r\n\r\n", "0x5\r\nhello\r\n0\r\n\r\n", "1_0\r\nhello\r\n0\r\n\r\n",
      "FFFFFFFFFFFFFFFFF5\r\nhello\r\n0\r\n\r\n", "5 \r\nhello\r\n0\r\n\r\n",
      "5 ;a\r\nhello\r\n0\r\n\r\n", "5;\r\nhello\r\n0\r\n\r\n", "-5\r\nhello\r\n0\r\n\r\n",
      "5\r\nhelloXX0\r\n\r\n", "5\r\nhello\n0\r\n\r\n", "5\r\nhello\r\n0\r\n\n",
      "5\r\nhello\r\n0\r\nContent-Length: 5\r\n\r\n",
      "5\r\nhello\r\n0\r\nHost: evil.test\r\n\r\n",
      "5\r\nhello\r\n0\r\nTransfer-Encoding: chunked\r\n\r\n",
      "5\r\nhello\r\n0\r\nX: a\r\n b\r\n\r\n", "5\r\nhello\r\n0\r\nX\r\n\r\n"})
  void a5MalformedChunkedBodiesAreRefused(String body) {
    EdgeClient.Response r = refusedKeepingUpstream(POST + CHUNKED + body, 400);
    assertThat(r.status()).isEqualTo(400);
    assertThat(edge.upstream.requests()).as("no complete request upstream").isEmpty();
  }

  @Test
  void a5ValidChunkedBodiesAreReChunked() {
    forwarded(POST + CHUNKED + "2;ext=1\r\nhe\r\n3\r\nllo\r\n0\r\nX-Trailer: t\r\n\r\n", "hello");
    assertThat(edge.upstream.requests().get(0).head().toLowerCase(Locale.ROOT))
        .doesNotContain("ext=1");
  }

  @Test
  void a5ChunkLineLongerThanTheLimitIsRefused() {
    refusedKeepingUpstream(POST + CHUNKED + "5;" + "a".repeat(5000) + "\r\nhello\r\n0\r\n\r\n",
        400);
    assertThat(edge.upstream.requests()).as("no complete request upstream").isEmpty();
  }

  // ---- A6, A7: line terminators, characters, obs-fold ----

  @ParameterizedTest
  @ValueSource(strings = {"GET /p HTTP/1.1\nHost: edge.test\r\n\r\n",
      "GET /p HTTP/1.1\rHost: edge.test\r\n\r\n", "GET /p HTTP/1.1\r\nHost: edge.test\n\r\n",
      "GET /p HTTP/1.1\r\nHost: edge.test\r\nX: a\rY: b\r\n\r\n",
      "GET /p HTTP/1.1\r\nHost: edge.test\r\nX: a\u0000b\r\n\r\n",
      "GET /p HTTP/1.1\r\nHost: edge.test\r\nX: a\u007fb\r\n\r\n",
      "GET /p HTTP/1.1\r\nHost: edge.test\r\nX\u0000: a\r\n\r\n",
      "GET /p HTTP/1.1\r\nHost: edge.test\r\nX : a\r\n\r\n",
      "GET /p HTTP/1.1\r\nHost: edge.test\r\nX\t: a\r\n\r\n",
      "GET /p HTTP/1.1\r\n Host: edge.test\r\n\r\n",
      "GET /p HTTP/1.1\r\nHost: edge.test\r\nX\u00e9: a\r\n\r\n",
      "GET /p HTTP/1.1\r\nHost: edge.test\r\nX\u0080: a\r\n\r\n",
      "GET /p HTTP/1.1\r\nHost: edge.test\r\n: a\r\n\r\n",
      "GET /p HTTP/1.1\r\nHost: edge.test\r\nX-No-Colon\r\n\r\n"})
  void a6BadTerminatorsAndCharactersAreRefused(String raw) {
    refused(raw, 400);
  }

  @ParameterizedTest
  @ValueSource(strings = {"GET /p HTTP/1.1\r\nHost: edge.test\r\nX: a\r\n b\r\n\r\n",
      "GET /p HTTP/1.1\r\nHost: edge.test\r\nX: a\r\n\tb\r\n\r\n",
      "GET /p HTTP/1.1\r\nHost: edge.test\r\nContent-Length:\r\n 0\r\n\r\n"})
  void a7ObsFoldIsRefused(String raw) {
    refused(raw, 400);
  }

  // ---- A8: request line ----

  @ParameterizedTest
  @ValueSource(strings = {"GET /\r\n\r\n", "GET /p HTTP/1.32\r\nHost: edge.test\r\n\r\n",
      "GET /p http/1.1\r\nHost: edge.test\r\n\r\n",
      "G\u0001T /p HTTP/1.1\r\nHost: edge.test\r\n\r\n",
      "G(T /p HTTP/1.1\r\nHost: edge.test\r\n\r\n", "GET /a b HTTP/1.1\r\nHost: edge.test\r\n\r\n",
      "GET /a#b HTTP/1.1\r\nHost: edge.test\r\n\r\n",
      "GET /a\u0001b HTTP/1.1\r\nHost: edge.test\r\n\r\n",
      "GET  /p HTTP/1.1\r\nHost: edge.test\r\n\r\n", "GET\t/p HTTP/1.1\r\nHost: edge.test\r\n\r\n",
      "GET /p HTTP/1.1 \r\nHost: edge.test\r\n\r\n", "GET /p HTTP/1\r\nHost: edge.test\r\n\r\n"})
  void a8MalformedRequestLinesAre400(String raw) {
    refused(raw, 400);
  }

  @ParameterizedTest
  @ValueSource(strings = {"HTTP/2.0", "HTTP/1.2", "HTTP/0.9", "HTTP/3.0"})
  void a8UnsupportedVersionsAre505(String version) {
    refused("GET /p " + version + "\r\nHost: edge.test\r\n\r\n", 505);
  }

  @Test
  void a8LongTargetIs414() {
    refused("GET /" + "a".repeat(4096) + " HTTP/1.1\r\nHost: edge.test\r\n\r\n", 414);
    forwarded("GET /" + "a".repeat(4095) + " HTTP/1.1\r\nHost: edge.test\r\n\r\n", "");
  }

  // ---- A9: Host ----

  @ParameterizedTest
  @ValueSource(strings = {"GET /p HTTP/1.1\r\n\r\n",
      "GET /p HTTP/1.1\r\nHost: edge.test\r\nHost: edge.test\r\n\r\n",
      "GET /p HTTP/1.1\r\nHost: a@edge.test\r\n\r\n", "GET /p HTTP/1.1\r\nHost: edge test\r\n\r\n",
      "GET /p HTTP/1.1\r\nHost: edge.test/x\r\n\r\n",
      "GET /p HTTP/1.1\r\nHost: edge.test:8x\r\n\r\n",
      "GET http://a@b.example/p HTTP/1.1\r\nHost: b.example\r\n\r\n",
      "GET ftp://b.example/p HTTP/1.1\r\nHost: b.example\r\n\r\n"})
  void a9HostRulesAre400(String raw) {
    refused(raw, 400);
  }

  @Test
  void a9AbsoluteFormAuthorityWinsOverHost() {
    // a.example is answered locally; the authority b.example routes to the forwarding vhost.
    forwarded("GET http://b.example/x?q=1 HTTP/1.1\r\nHost: a.example\r\n\r\n", "");
    RecordingUpstream.Request up = edge.upstream.requests().get(0);
    assertThat(up.requestLine()).isEqualTo("GET /x?q=1 HTTP/1.1");
    assertThat(up.header("host")).isEqualTo("b.example");
    try (EdgeClient c = edge.client()) {
      EdgeClient.Response r = c.send("GET http://a.example HTTP/1.1\r\nHost: b.example\r\n\r\n")
          .read();
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("a.example");
    }
  }

  @Test
  void a9Http10WithoutHostIsServed() {
    forwarded("GET /p HTTP/1.0\r\n\r\n", "");
  }

  // ---- A12: pipelining ----

  @Test
  void a12PipelinedRequestsAreAnsweredInOrder() {
    edge.upstream.reset();
    edge.upstream.script(n -> ("HTTP/1.1 200 OK\r\nX-Recorded: " + n
        + "\r\nContent-Length: 1\r\n\r\n" + n).getBytes(StandardCharsets.US_ASCII));
    try (EdgeClient c = edge.client()) {
      c.send("GET /1 HTTP/1.1\r\nHost: edge.test\r\n\r\nGET /2 HTTP/1.1\r\nHost: edge.test\r\n\r\n"
          + "GET /3 HTTP/1.1\r\nHost: edge.test\r\n\r\n");
      for (int i = 0; i < 3; i++) {
        EdgeClient.Response r = c.read();
        assertThat(r).isNotNull();
        assertThat(r.body()).isEqualTo(String.valueOf(i));
      }
    }
    assertThat(edge.upstream.requests()).extracting(RecordingUpstream.Request::requestLine)
        .containsExactly("GET /1 HTTP/1.1", "GET /2 HTTP/1.1", "GET /3 HTTP/1.1");
    assertThat(edge.upstream.leftover()).isZero();
  }

  @Test
  void a12ARefusedPipelinedRequestStopsTheConnection() {
    edge.upstream.reset();
    try (EdgeClient c = edge.client()) {
      c.send("GET /1 HTTP/1.1\r\nHost: edge.test\r\n\r\nGET /2 HTTP/1.1\r\nHost: edge.test\r\n"
          + "X: a\r\n b\r\n\r\nGET /3 HTTP/1.1\r\nHost: edge.test\r\n\r\n");
      assertThat(c.read().status()).isEqualTo(200);
      assertThat(c.read().status()).isEqualTo(400);
      assertThat(c.closedByServer()).isTrue();
    }
    assertThat(edge.upstream.requests()).extracting(RecordingUpstream.Request::requestLine)
        .containsExactly("GET /1 HTTP/1.1");
  }

  // ---- A14: a refused WebSocket upgrade does not tunnel ----

  @ParameterizedTest
  @ValueSource(strings = {"HTTP/1.1 426 Upgrade Required\r\nContent-Length: 0\r\n\r\n",
      "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"})
  void a14NonSwitchingUpgradeAnswerKeepsHttpRouting(String answer) {
    edge.upstream.reset();
    edge.upstream.script(n -> answer.getBytes(StandardCharsets.US_ASCII));
    try (EdgeClient c = edge.client()) {
      EdgeClient.Response first = c.send("GET /ws HTTP/1.1\r\nHost: edge.test\r\n"
          + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
          + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
          .read();
      assertThat(first.status()).isNotEqualTo(101);
      EdgeClient.Response admin = c.send("GET /admin HTTP/1.1\r\nHost: edge.test\r\n\r\n").read();
      if (admin != null) {
        assertThat(admin.status()).isEqualTo(403);
      }
    }
    assertThat(edge.upstream.requests()).hasSize(1);
    assertThat(edge.upstream.requests().get(0).requestLine()).isEqualTo("GET /ws HTTP/1.1");
  }

  // ---- helpers ----

  /** Refused with one of {@code statuses}, Connection: close, closed, and 0 upstream bytes. */
  private void refused(String raw, int... statuses) {
    refusedKeepingUpstream(raw, statuses);
    assertThat(edge.upstream.bytesReceived()).as("upstream bytes").isZero();
  }

  private EdgeClient.Response refusedKeepingUpstream(String raw, int... statuses) {
    edge.upstream.reset();
    try (EdgeClient c = edge.client()) {
      EdgeClient.Response r = c.send(Http1DesyncCorpusIT.bytes(raw)).read();
      assertThat(r).as("a response").isNotNull();
      assertThat(r.status()).as("status").isIn(box(statuses));
      assertThat(r.closeRequested()).as("Connection: close").isTrue();
      assertThat(c.closedByServer()).as("closed after exactly one response").isTrue();
      return r;
    }
  }

  /** Forwarded as exactly one request with {@code body}, nothing left over. */
  private void forwarded(String raw, String body) {
    edge.upstream.reset();
    try (EdgeClient c = edge.client()) {
      EdgeClient.Response r = c.send(Http1DesyncCorpusIT.bytes(raw)).read();
      assertThat(r).as("a response").isNotNull();
      assertThat(r.headers()).as("answered by the upstream").containsKey("x-recorded");
    }
    assertThat(edge.upstream.requests()).as("upstream requests").hasSize(1);
    assertThat(edge.upstream.requests().get(0).bodyText()).isEqualTo(body);
    assertThat(edge.upstream.leftover()).as("upstream leftover").isZero();
  }

  private static Integer[] box(int[] a) {
    Integer[] b = new Integer[a.length];
    for (int i = 0; i < a.length; i++) {
      b[i] = a[i];
    }
    return b;
  }
}
