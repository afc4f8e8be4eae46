package io.gatehouse.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.proxy.http.AccessLog;
import io.gatehouse.proxy.http.EdgeCounters;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/**
 * SECURITY.md B8 (the access log stays one valid JSON line per request whatever the client sends)
 * and the A1 counter criterion, over the wire against {@link EdgeProxy}, capturing the
 * {@value AccessLog#LOGGER} logger with a logback {@link ListAppender}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AccessLogIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ESC = "\u001b[31m";

  private final ListAppender<ILoggingEvent> captured = new ListAppender<>();
  private final Logger logger = (Logger) LoggerFactory.getLogger(AccessLog.LOGGER);
  private EdgeProxy edge;

  @BeforeAll
  void start() throws IOException {
    captured.start();
    logger.addAppender(captured);
    logger.setLevel(Level.INFO);
    logger.setAdditive(false);
    edge = new EdgeProxy(new ProxyOptions(0, 1, Duration.ofSeconds(2), Duration.ofSeconds(5)));
  }

  @AfterAll
  void stop() {
    edge.close();
    logger.detachAppender(captured);
    logger.setLevel(null);
    logger.setAdditive(true);
  }

  @BeforeEach
  void clear() throws InterruptedException {
    settle(0);
    synchronized (captured) {
      captured.list.clear();
    }
  }

  @Test
  void b8EveryRequestGetsOneParsableLineWithEscapedValues() throws Exception {
    String big = "b".repeat(8192);
    List<Integer> statuses = new ArrayList<>();
    // HTTP/1.1: quotes and backslash pass the codec; ESC does not (400, still logged).
    statuses.add(edge.get("edge.test", "/public/q", "User-Agent: say \"hi\" \\ x")
        .status());
    statuses.add(edge.get("edge.test", "/public/big", "User-Agent: " + big).status());
    statuses.add(edge.get("edge.test", "/public/esc", "User-Agent: " + ESC + "red").status());
    statuses.add(edge.get("edge.test", "/admin/x").status());
    statuses.add(edge.get("edge.test", "/public%2fx").status());
    // Two requests on one connection: two lines.
    try (RawHttp c = edge.connect()) {
      statuses.add(c.exchange("GET /public/1 HTTP/1.1\r\nHost: edge.test\r\n\r\n").status());
      statuses.add(c.exchange("GET /public/2 HTTP/1.1\r\nHost: edge.test\r\n\r\n").status());
    }
    // HTTP/2, raw frames (Netty's client refuses to send these values): quotes, obs-text and an
    // 8 KB value are requests; ESC and CR/LF are refused by the HTTP/2 codec (a stream reset, B1)
    // before any request exists, so they get no line.
    List<Integer> answered;
    try (RawH2 c = new RawH2(EdgeProxy.ADDRESS, edge.port())) {
      c.headers(1, true, get("/public/h2", "say \"hi\" caf\u00e9"));
      c.headers(3, true, get("/public/h2big", big));
      c.headers(5, true, get("/public/h2esc", ESC + "red"));
      c.headers(7, true, get("/public/h2crlf", "a\r\nx-injected: 1"));
      answered = streamOutcomes(c, 4);
    }
    assertThat(answered).containsExactly(1, 3); // 5 (ESC) and 7 (CR/LF): reset
    int requests = statuses.size() + answered.size();
    assertThat(statuses).containsExactly(200, 200, 400, 403, 400, 200, 200);

    List<String> lines = settle(requests);
    assertThat(lines).hasSize(requests);
    List<JsonNode> entries = new ArrayList<>();
    for (String line : lines) {
      assertThat(line).doesNotContain("\n", "\r", "\u001b").matches("[\\x20-\\x7e]*");
      entries.add(JSON.readTree(line));
    }
    JsonNode quoted = find(entries, "/public/q");
    assertThat(quoted.get("user_agent").asText()).isEqualTo("say \"hi\" \\ x");
    assertThat(quoted.get("status").asInt()).isEqualTo(200);
    assertThat(quoted.get("route").asText()).isEqualTo("public");
    assertThat(quoted.get("upstream").asText()).isEqualTo("127.0.0.1:" + edge.p.port());
    assertThat(quoted.get("protocol").asText()).isEqualTo("HTTP/1.1");
    assertThat(quoted.get("client").asText()).startsWith("127.0.0.1:");
    assertThat(quoted.get("listener").asText())
        .isEqualTo(EdgeProxy.ADDRESS + ":" + edge.port());
    assertThat(quoted.get("bytes").asLong()).isPositive();
    assertThat(quoted.get("reason").isNull()).isTrue();

    JsonNode bigEntry = find(entries, "/public/big");
    assertThat(bigEntry.get("user_agent").asText())
        .isEqualTo("b".repeat(AccessLog.MAX_VALUE) + "...");

    JsonNode denied = find(entries, "/admin/x");
    assertThat(denied.get("status").asInt()).isEqualTo(403);
    assertThat(denied.get("route").asText()).isEqualTo("deny-admin");
    assertThat(denied.get("upstream").isNull()).isTrue();

    JsonNode badPath = find(entries, "/public%2fx");
    assertThat(badPath.get("status").asInt()).isEqualTo(400);
    assertThat(badPath.get("reason").asText()).contains("bad request");

    assertThat(entries.stream().filter(e -> e.get("status").asInt() == 400
        && !e.get("reason").isNull()).count()).isEqualTo(2);

    JsonNode h2 = find(entries, "/public/h2");
    assertThat(h2.get("protocol").asText()).isEqualTo("HTTP/2.0");
    assertThat(h2.get("status").asInt()).isEqualTo(200);
    assertThat(h2.get("user_agent").asText()).isEqualTo("say \"hi\" caf\u00e9");
    JsonNode h2big = find(entries, "/public/h2big");
    assertThat(h2big.get("user_agent").asText()).hasSize(AccessLog.MAX_VALUE + 3);
    for (JsonNode e : entries) {
      assertThat(e.get("user_agent").asText("")).doesNotContain("\r", "\n");
    }
  }

  private static String[] get(String path, String userAgent) {
    return new String[]{":method", "GET", ":scheme", "http", ":path", path, ":authority",
        "edge.test", "user-agent", userAgent};
  }

  /**
   * Reads frames until each of the first {@code streams} client streams ended (END_STREAM or
   * RST_STREAM) or the connection went away; returns the streams that got a response HEADERS.
   */
  private static List<Integer> streamOutcomes(RawH2 c, int streams) throws IOException {
    java.util.Set<Integer> ended = new java.util.HashSet<>();
    java.util.Set<Integer> answered = new java.util.TreeSet<>();
    while (ended.size() < streams) {
      RawH2.Frame f = c.read();
      if (f.type() == RawH2.GOAWAY) {
        break;
      }
      if (f.type() == RawH2.HEADERS) {
        answered.add(f.stream());
      }
      if (f.type() == RawH2.RST_STREAM
          || f.stream() != 0 && (f.flags() & RawH2.END_STREAM) != 0
              && (f.type() == RawH2.HEADERS || f.type() == RawH2.DATA)) {
        ended.add(f.stream());
      }
    }
    return List.copyOf(answered);
  }

  @Test
  void a1ContentLengthWithTransferEncodingIsCountedOnce() throws Exception {
    long before = edge.counters().get(EdgeCounters.CL_TE);
    long framing = edge.counters().get(EdgeCounters.BAD_FRAMING);
    EdgeProxy.Exchange e = edge.send("POST /public/x HTTP/1.1\r\nHost: edge.test\r\n"
        + "Content-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nG");
    assertThat(e.status()).isEqualTo(400);
    assertThat(e.atP()).isEmpty();
    assertThat(e.atQ()).isEmpty();
    assertThat(edge.counters().get(EdgeCounters.CL_TE)).isEqualTo(before + 1);
    assertThat(edge.counters().get(EdgeCounters.BAD_FRAMING)).isEqualTo(framing);
    List<String> lines = settle(1);
    assertThat(lines).hasSize(1);
    JsonNode entry = JSON.readTree(lines.get(0));
    assertThat(entry.get("status").asInt()).isEqualTo(400);
    assertThat(entry.get("reason").asText())
        .isEqualTo("Content-Length together with Transfer-Encoding");
  }

  @Test
  void rejectionsAreCountedByReason() throws Exception {
    long underscore = edge.counters().get(EdgeCounters.UNDERSCORE_HEADER);
    long path = edge.counters().get(EdgeCounters.BAD_PATH);
    assertThat(edge.get("edge.test", "/public/x", "X_Auth: admin").status()).isEqualTo(400);
    assertThat(edge.get("/public%2fx").status()).isEqualTo(400);
    assertThat(edge.get("/public/ok").status()).isEqualTo(200);
    assertThat(edge.counters().get(EdgeCounters.UNDERSCORE_HEADER)).isEqualTo(underscore + 1);
    assertThat(edge.counters().get(EdgeCounters.BAD_PATH)).isEqualTo(path + 1);
    assertThat(edge.counters()).containsKeys(EdgeCounters.CL_TE, EdgeCounters.OVERLOAD,
        EdgeCounters.HEADER_TOO_LARGE);
    assertThat(settle(3)).hasSize(3);
  }

  private static JsonNode find(List<JsonNode> entries, String path) {
    List<JsonNode> found = entries.stream().filter(e -> e.get("path").asText().equals(path))
        .toList();
    assertThat(found).as("lines for " + path).hasSize(1);
    return found.get(0);
  }

  /**
   * The lines so far, once {@code expected} arrived (lines are written when the last response byte
   * left, so just after the client read it) and nothing more came for 300 ms.
   */
  private List<String> settle(int expected) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (lines().size() < expected && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    Thread.sleep(300);
    return lines();
  }

  private List<String> lines() {
    synchronized (captured) { // AppenderBase appends under this lock
      return captured.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }
  }
}
