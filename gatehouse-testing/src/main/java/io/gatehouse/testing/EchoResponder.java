package io.gatehouse.testing;

import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides the reply to one request, following echo-basic's routes (HARNESS.md §3.1). Protocol
 * independent and never blocking: delays are returned in {@link EchoReply#delay()}, not slept.
 * Thread-safe; one instance serves all connections of an {@link EchoServer}.
 */
final class EchoResponder {

  private static final Logger log = LoggerFactory.getLogger(EchoResponder.class);
  private static final Pattern STATUS_URI = Pattern.compile("/status/(\\d\\d\\d)");
  private static final String TEXT_PLAIN = "text/plain; charset=utf-8";

  private final EchoOptions options;
  private final RequestLog requestLog;
  private final RetrySimulator retries = new RetrySimulator();
  private final Clock clock;
  private volatile int httpPort;

  EchoResponder(EchoOptions options, RequestLog requestLog, Clock clock) {
    this.options = options;
    this.requestLog = requestLog;
    this.clock = clock;
    this.httpPort = options.port();
  }

  /** Sets the port reported as {@code httpPort}, once the server knows its bound port. */
  void httpPort(int port) {
    this.httpPort = port;
  }

  EchoReply reply(EchoRequest request) {
    if (options.h2cOnly()) {
      // Port 3001 answers only HTTP/2 and h2c upgrade attempts, and echoes them on every path.
      boolean h2c = request.isHttp2() || request.headerValues("Upgrade").stream().findFirst()
          .filter("h2c"::equals).isPresent();
      return h2c ? echo(request) : text(400, "Expected h2c request");
    }
    String path = routingPath(request.uri());
    if (path.equals("/health")) {
      return text(200, "OK");
    }
    if (path.startsWith("/status/")) {
      var status = STATUS_URI.matcher(request.uri());
      return empty(status.matches() ? finalStatus(status.group(1)) : 400, Duration.ZERO);
    }
    if (path.startsWith("/retry/")) {
      return retry(request);
    }
    return echo(request);
  }

  private EchoReply retry(EchoRequest request) {
    var query = query(request.uri());
    String uuid = first(query, "uuid");
    String succeedAfter = first(query, "succeedAfter");
    if (uuid.isEmpty() || succeedAfter.isEmpty()) {
      return text(400, "uuid and succeedAfter query parameters are required");
    }
    try {
      int attemptsToFail = Integer.parseInt(succeedAfter);
      String responseCode = first(query, "responseCode");
      String delayRetry = first(query, "delayRetry");
      Duration delay = delayRetry.isEmpty() ? Duration.ZERO : GoDuration.parse(delayRetry);
      if (!retries.shouldFail(uuid, attemptsToFail)) {
        return echo(request);
      }
      return responseCode.isEmpty()
          ? new EchoReply.Abort(delay)
          : empty(finalStatus(responseCode), delay);
    } catch (IllegalArgumentException e) {
      return text(400, "Invalid retry parameters: " + e.getMessage());
    }
  }

  private EchoReply echo(EchoRequest request) {
    log.debug("Echoing back request made to {} to client ({})", request.uri(),
        request.remoteAddress());
    requestLog.add(new EchoRequestLog(clock.instant(), request.method(), request.uri(),
        request.remoteAddress()));
    Duration delay;
    try {
      String value = first(query(request.uri()), "delay");
      delay = value.isEmpty() ? Duration.ZERO : GoDuration.parse(value);
    } catch (IllegalArgumentException e) {
      return json(500, EchoBodyWriter.error(e.getMessage()), List.of(), Duration.ZERO);
    }
    return json(200, EchoBodyWriter.echo(request, options, httpPort), echoSetHeaders(request),
        delay);
  }

  /**
   * {@code X-Echo-Set-Header: name:value,name:value}: each name keeps its case; a repeated name
   * gets {@code ,value} appended; empty entries and names that are not tokens are ignored.
   */
  static List<Map.Entry<String, String>> echoSetHeaders(EchoRequest request) {
    Map<String, String> set = new LinkedHashMap<>();
    for (String list : request.headerValues("X-Echo-Set-Header")) {
      for (String entry : list.split(",", -1)) {
        String trimmed = entry.strip();
        if (trimmed.isEmpty()) {
          continue;
        }
        int colon = trimmed.indexOf(':');
        String name = colon < 0 ? trimmed : trimmed.substring(0, colon);
        String value = colon < 0 ? "" : trimmed.substring(colon + 1).strip();
        if (!GoHeaderNames.isToken(name)) {
          continue; // Go would send it; Netty cannot, and no test asks for one
        }
        set.merge(name, value, (old, added) -> old + "," + added);
      }
    }
    return List.copyOf(set.entrySet());
  }

  private static EchoReply json(int status, byte[] body, List<Map.Entry<String, String>> extra,
      Duration delay) {
    List<Map.Entry<String, String>> headers = new ArrayList<>(extra);
    headers.add(Map.entry("Content-Type", "application/json"));
    headers.add(Map.entry("X-Content-Type-Options", "nosniff"));
    return new EchoReply.Respond(status, headers, body, delay);
  }

  private static EchoReply text(int status, String body) {
    return new EchoReply.Respond(status, List.of(Map.entry("Content-Type", TEXT_PLAIN)),
        body.getBytes(StandardCharsets.UTF_8), Duration.ZERO);
  }

  private static EchoReply empty(int status, Duration delay) {
    return new EchoReply.Respond(status, List.of(), new byte[0], delay);
  }

  /** A final status code; 1xx and codes outside 100..999 have no meaning here and give 400. */
  private static int finalStatus(String code) {
    int status = Integer.parseInt(code);
    return status >= 200 && status <= 999 ? status : 400;
  }

  /** Like Go, which skips {@code a;b} pairs, a semicolon does not separate parameters. */
  private static QueryStringDecoder query(String uri) {
    return QueryStringDecoder.builder().semicolonIsNormalChar(true).build(uri);
  }

  private static String first(QueryStringDecoder query, String name) {
    List<String> values = query.parameters().get(name);
    return values == null || values.isEmpty() ? "" : values.get(0);
  }

  /**
   * The decoded path Go's ServeMux routes on, after echo-basic's {@code //} to {@code /} rewrite.
   */
  private static String routingPath(String uri) {
    String path = query(uri).path();
    if (!path.startsWith("/")) {
      int slash = path.indexOf('/', path.indexOf("//") + 2);
      path = slash < 0 ? "/" : path.substring(slash); // absolute-form request target
    }
    return path.replace("//", "/");
  }
}
