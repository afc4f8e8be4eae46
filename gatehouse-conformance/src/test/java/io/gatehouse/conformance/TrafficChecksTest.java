package io.gatehouse.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.testing.EchoOptions;
import io.gatehouse.testing.EchoServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Traffic cases against an echo server standing in for the Gateway, with short timing. */
class TrafficChecksTest {
  static EchoServer echo;
  static Target target;

  @BeforeAll
  static void start() {
    echo = EchoServer.start(EchoOptions.of("127.0.0.1", 0, "infra-backend-v1-abcde12345-xyz12",
        "infra"));
    target = new Target("127.0.0.1", echo.address().getPort(), 0, "http");
  }

  @AfterAll
  static void stop() {
    echo.close();
  }

  private final TrafficChecks.Timing timing = new TrafficChecks.Timing(Duration.ofSeconds(1), 3,
      Duration.ofSeconds(1), Duration.ofMillis(50));

  private static JsonNode yaml(String s) throws Exception {
    return Yaml.MAPPER.readTree(s);
  }

  private static final String MIRROR = """
      request: {method: GET, path: /mirror}
      expectedRequest: {method: GET, path: /mirror}
      backend: infra-backend-v1
      namespace: infra
      mirroredTo: [{name: infra-backend-v2, namespace: infra}]
      addRequestIdQueryParam: gateway-api-conformance-request-id
      """;

  @Test
  void mirroredRequestIsFoundInTheMirrorsLog() throws Exception {
    TrafficChecks checks = new TrafficChecks(timing, ref -> null,
        (ns, app) -> echo.requests().stream().map(r -> r.logLine()).toList());
    checks.run(yaml(MIRROR), () -> target);
  }

  @Test
  void missingMirrorFails() throws Exception {
    TrafficChecks checks = new TrafficChecks(timing, ref -> null, (ns, app) -> List.of());
    assertThatThrownBy(() -> checks.run(yaml(MIRROR), () -> target))
        .isInstanceOf(AssertionFailure.class)
        .hasMessageContaining("was not mirrored to infra/infra-backend-v2");
  }

  private static final String WEBSOCKET = """
      type: websocket
      url: ws://{gatewayAddress}/ws
      subprotocol: ''
      origin: ws://gateway/{goTestName}
      exchange:
      - {sendText: Websocket Support!, expectText: Websocket Support!}
      - sendBinary: [1, 2, 3, 4, 5, 6, 7]
        expectBinary: [1, 2, 3, 4, 5, 6, 7]
      """;

  @Test
  void webSocketMessagesAreEchoed() throws Exception {
    TrafficChecks checks = new TrafficChecks(timing, ref -> null, (ns, app) -> List.of());
    checks.run(yaml(WEBSOCKET), () -> target);
  }

  @Test
  void webSocketToAPathWithoutWebSocketFails() throws Exception {
    TrafficChecks checks = new TrafficChecks(timing, ref -> null, (ns, app) -> List.of());
    assertThatThrownBy(() -> checks.run(yaml(WEBSOCKET.replace("/ws", "/plain")), () -> target))
        .isInstanceOf(AssertionFailure.class)
        .hasMessageContaining("WebSocket handshake failed")
        .hasMessageContaining("not 3 passes in a row");
  }

  @Test
  void nonConvergingCaseNamesTheLastProblem() throws Exception {
    TrafficChecks checks = new TrafficChecks(timing, ref -> null, (ns, app) -> List.of());
    JsonNode c = yaml("""
        request: {method: GET, path: /status/503}
        response: {statusCodes: [200]}
        """);
    assertThatThrownBy(() -> checks.run(c, () -> target))
        .hasMessageContaining("HTTP GET /status/503: expected status 200, got 503")
        .hasMessageContaining("not 3 passes in a row within 1 s");
  }

  private static String backendHeader(String value) {
    return """
        type: backendHeaderMatchesPod
        header: Backend
        samples: 20
        probe:
          request: {method: GET, path: /, protocol: HTTP%s}
          response: {statusCodes: [200]}
          backend: ''
          namespace: infra
        """.formatted(value == null ? "" : ", headers: {Backend: " + value + "}");
  }

  @Test
  void backendHeaderMatchesPodPassesWhenThePodStartsWithTheHeader() throws Exception {
    TrafficChecks checks = new TrafficChecks(timing, ref -> null, (ns, app) -> List.of());
    checks.run(yaml(backendHeader("infra-backend-v1")), () -> target);
  }

  @Test
  void backendHeaderMatchesPodFailsOnAnotherPodOrAMissingHeader() throws Exception {
    TrafficChecks checks = new TrafficChecks(timing, ref -> null, (ns, app) -> List.of());
    assertThatThrownBy(() -> checks.run(yaml(backendHeader("infra-backend-v2")), () -> target))
        .isInstanceOf(AssertionFailure.class)
        .hasMessageContaining("sample 1 was answered by pod 'infra-backend-v1-abcde12345-xyz12'")
        .hasMessageContaining("carries Backend: infra-backend-v2");
    assertThatThrownBy(() -> checks.run(yaml(backendHeader(null)), () -> target))
        .isInstanceOf(AssertionFailure.class)
        .hasMessageContaining("sample 1 expected a single Backend header, got 0");
  }

  @Test
  void h2cPriorKnowledgeReachesAnH2cOnlyEcho() throws Exception {
    try (EchoServer h2cOnly = EchoServer.start(EchoOptions.of("127.0.0.1", 0,
        "infra-backend-v1-abcde12345-xyz12", "infra").withH2cOnly(true))) {
      Target t = new Target("127.0.0.1", h2cOnly.address().getPort(), 0, "http");
      TrafficChecks checks = new TrafficChecks(timing, ref -> null, (ns, app) -> List.of());
      checks.run(yaml("""
          request: {method: GET, path: /h2c, protocol: H2C_PRIOR_KNOWLEDGE}
          expectedRequest: {method: GET, path: /h2c}
          backend: infra-backend-v1
          namespace: infra
          """), () -> t);
      assertThatThrownBy(() -> checks.run(yaml("""
          request: {method: GET, path: /h2c, protocol: HTTP}
          backend: infra-backend-v1
          namespace: infra
          """), () -> t)).hasMessageContaining("expected status 200, got 400");
    }
  }

  @Test
  void mirrorDistributionCountsTheMirrorsLogLines() throws Exception {
    TrafficChecks checks = new TrafficChecks(timing, ref -> null,
        (ns, app) -> echo.requests().stream().map(r -> r.logLine()).toList());
    String c = """
        type: mirrorDistribution
        probe:
          request: {method: GET, path: /percent-mirror}
          expectedRequest: {method: GET, path: /percent-mirror}
          backend: infra-backend-v1
          namespace: infra
        mirrorBackend: {name: infra-backend-v1, namespace: infra}
        totalRequests: 20
        concurrency: 4
        maxAttempts: 2
        sleepBetweenAttempts: 0s
        allowedRange: [%s]
        """;
    // The echo is its own "mirror": every request is counted once.
    checks.run(yaml(c.formatted("19.5, 20.5")), () -> target);
    assertThatThrownBy(() -> checks.run(yaml(c.formatted("0, 5")), () -> target))
        .hasMessageContaining("20 of 20 requests mirrored to infra-backend-v1, expected 0.0..5.0");
  }

  @Test
  void distributionIsCheckedAgainstWeightsAndTolerance() {
    Map<String, Double> weights = Map.of("v1", 0.7, "v2", 0.3, "v3", 0.0);
    assertThat(TrafficChecks.distributionProblem(Map.of("v1", 352, "v2", 148), weights, 500,
        0.05)).isNull();
    assertThat(TrafficChecks.distributionProblem(Map.of("v1", 350, "v2", 149, "v3", 1), weights,
        500, 0.05)).contains("backend v3 has weight 0 but got 1");
    assertThat(TrafficChecks.distributionProblem(Map.of("v1", 400, "v2", 100), weights, 500,
        0.05)).containsAnyOf("backend v1 got 0.800", "backend v2 got 0.200");
  }
}
