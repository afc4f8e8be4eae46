package io.gatehouse.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EchoResponderTest {

  private static final EchoOptions POD = EchoOptions.of("127.0.0.1", 3000,
      "infra-backend-v1-7c9d8b5f6d-x2x9z",
      "gateway-conformance-infra");
  private static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");

  private final RequestLog log = new RequestLog();
  private final EchoResponder responder = new EchoResponder(POD, log,
      Clock.fixed(NOW, ZoneOffset.UTC));

  private static EchoRequest get(String uri, Map.Entry<String, String>... headers) {
    return new EchoRequest("GET", uri, "example.com", "HTTP/1.1", List.of(headers),
        "127.0.0.1:4242");
  }

  private static EchoReply.Respond respond(EchoReply reply) {
    assertThat(reply).isInstanceOf(EchoReply.Respond.class);
    return (EchoReply.Respond) reply;
  }

  private static String body(EchoReply reply) {
    return new String(respond(reply).body(), StandardCharsets.UTF_8);
  }

  @Test
  void echoBodyIsLaidOutLikeGoMarshalIndent() {
    EchoReply reply = responder
        .reply(get("/a?b=c", Map.entry("x-b", "2"), Map.entry("X-A", "1"), Map.entry("x-b", "3")));

    assertThat(body(reply)).isEqualTo("""
        {
         "path": "/a?b=c",
         "host": "example.com",
         "method": "GET",
         "proto": "HTTP/1.1",
         "headers": {
          "X-A": [
           "1"
          ],
          "X-B": [
           "2",
           "3"
          ]
         },
         "httpPort": "3000",
         "namespace": "gateway-conformance-infra",
         "ingress": "",
         "service": "",
         "pod": "infra-backend-v1-7c9d8b5f6d-x2x9z"
        }""");
    assertThat(respond(reply).headers()).containsExactly(
        Map.entry("Content-Type", "application/json"),
        Map.entry("X-Content-Type-Options", "nosniff"));
    assertThat(log.snapshot())
        .containsExactly(new EchoRequestLog(NOW, "GET", "/a?b=c", "127.0.0.1:4242"));
    assertThat(log.snapshot().get(0).logLine())
        .isEqualTo("Echoing back request made to /a?b=c to client (127.0.0.1:4242)");
  }

  @Test
  void echoSetHeaderKeepsCaseAppendsRepeatsAndSkipsEmptyEntries() {
    EchoReply reply = responder
        .reply(get("/", Map.entry("X-Echo-Set-Header", "X-Foo: one, x-bar:two,,X-Foo:three"),
            Map.entry("x-echo-set-header", ""), Map.entry("X-Echo-Set-Header", "X-Novalue")));

    assertThat(respond(reply).headers()).containsExactly(Map.entry("X-Foo", "one,three"),
        Map.entry("x-bar", "two"),
        Map.entry("X-Novalue", ""), Map.entry("Content-Type", "application/json"),
        Map.entry("X-Content-Type-Options", "nosniff"));
  }

  @ParameterizedTest
  @CsvSource({"/health, 200", "/health?x=1, 200", "/status/418, 418", "/status/503, 503",
      "/status/abc, 400",
      "/status/418?x=1, 400", "/status/4180, 400", "/status/099, 400", "//status//204, 400",
      "/, 200"})
  void routesLikeEchoBasic(String uri, int status) {
    assertThat(respond(responder.reply(get(uri))).status()).isEqualTo(status);
  }

  @Test
  void delayIsReturnedNotSlept() {
    assertThat(responder.reply(get("/?delay=1.5s")).delay()).isEqualTo(Duration.ofMillis(1500));
    assertThat(respond(responder.reply(get("/?delay=soon"))).status()).isEqualTo(500);
  }

  @Test
  void retrySimulatorFailsUntilSucceedAfterThenEchoes() {
    String uri = "/retry/x?uuid=u1&succeedAfter=2&responseCode=503&delayRetry=10ms";

    assertThat(respond(responder.reply(get(uri))).status()).isEqualTo(503);
    assertThat(responder.reply(get(uri)).delay()).isEqualTo(Duration.ofMillis(10));
    assertThat(respond(responder.reply(get(uri))).status()).isEqualTo(200);
    assertThat(responder.reply(get("/retry/?uuid=u2&succeedAfter=1")))
        .isEqualTo(new EchoReply.Abort(Duration.ZERO));
    assertThat(respond(responder.reply(get("/retry/?uuid=u2&succeedAfter=1"))).status())
        .isEqualTo(200);
  }

  @ParameterizedTest
  @CsvSource({"/retry/?uuid=u3", "/retry/?succeedAfter=1", "/retry/?uuid=u4&succeedAfter=x",
      "/retry/?uuid=u5&succeedAfter=1&delayRetry=x",
      "/retry/?uuid=u6&succeedAfter=1&responseCode=x"})
  void retrySimulatorRejectsMissingOrBadParameters(String uri) {
    assertThat(respond(responder.reply(get(uri))).status()).isEqualTo(400);
  }

  @Test
  void h2cOnlyRejectsPlainHttp1AndEchoesTheRest() {
    var h2cOnly = new EchoResponder(POD.withH2cOnly(true), log, Clock.systemUTC());

    EchoReply plain = h2cOnly.reply(get("/health"));
    assertThat(respond(plain).status()).isEqualTo(400);
    assertThat(body(plain)).isEqualTo("Expected h2c request");
    assertThat(body(h2cOnly.reply(get("/health", Map.entry("upgrade", "h2c"))))).startsWith("{");
    var h2 = new EchoRequest("GET", "/", "example.com", "HTTP/2.0", List.of(), "127.0.0.1:1");
    assertThat(respond(h2cOnly.reply(h2)).status()).isEqualTo(200);
  }
}
