package io.gatehouse.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.testing.EchoOptions;
import io.gatehouse.testing.GrpcEchoServer;
import io.grpc.Status;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The gRPC traffic cases against a gRPC echo pod standing in for the Gateway, short timing. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GrpcChecksTest {
  private static final String POD = "grpc-infra-backend-v1-7c9d8b5f6d-x2x9z";
  static GrpcEchoServer echo;
  static Target target;

  private final TrafficChecks.Timing timing = new TrafficChecks.Timing(Duration.ofSeconds(2), 3,
      Duration.ofSeconds(2), Duration.ofMillis(50));
  private final TrafficChecks checks = new TrafficChecks(timing, ref -> null,
      (ns, app) -> List.of());

  @BeforeAll
  static void start() {
    echo = GrpcEchoServer.start(EchoOptions.of("127.0.0.1", 0, POD,
        "gateway-conformance-infra"));
    target = new Target("127.0.0.1", echo.address().getPort(), 0, "http");
  }

  @AfterAll
  static void stop() {
    echo.close();
  }

  private static JsonNode yaml(String s) throws Exception {
    return Yaml.MAPPER.readTree(s);
  }

  private static String call(String method, String code, String backend, String namespace) {
    return """
        type: grpc
        method: %s
        fullMethod: /gateway_api_conformance.echo_basic.grpcecho.GrpcEcho/%s
        metadata: {version: one}
        response: {code: %s}
        backend: '%s'
        namespace: '%s'
        """.formatted(method, method, code, backend, namespace);
  }

  @Test
  void echoConvergesOnTheExpectedBackend() throws Exception {
    int before = echo.requests().size();
    checks.run(yaml(call("EchoTwo", "OK", "grpc-infra-backend-v1", "gateway-conformance-infra")),
        () -> target);
    assertThat(echo.requests()).hasSize(before + 3);
  }

  @Test
  void anotherBackendFailsTheCase() throws Exception {
    assertThatThrownBy(() -> checks.run(yaml(call("Echo", "OK", "grpc-infra-backend-v2",
        "gateway-conformance-infra")), () -> target))
        .isInstanceOf(AssertionFailure.class)
        .hasMessageContaining("expected a pod of grpc-infra-backend-v2, answered by '" + POD)
        .hasMessageContaining("not 3 passes in a row within 2 s");
  }

  @Test
  void anotherNamespaceFailsButAnEmptyOneIsNotCompared() throws Exception {
    assertThatThrownBy(() -> checks.run(yaml(call("Echo", "OK", "", "elsewhere")), () -> target))
        .hasMessageContaining("expected namespace elsewhere");
    checks.run(yaml(call("Echo", "OK", "grpc-infra-backend-v1", "")), () -> target);
  }

  @Test
  void wrongFullMethodFails() throws Exception {
    JsonNode c = yaml(call("Echo", "OK", "", "").replace("GrpcEcho/Echo", "GrpcEcho/EchoTwo"));
    assertThatThrownBy(() -> checks.run(c, () -> target))
        .hasMessageContaining("expected the method /gateway_api_conformance.echo_basic.grpcecho"
            + ".GrpcEcho/EchoTwo, the echo saw /gateway_api_conformance.echo_basic.grpcecho"
            + ".GrpcEcho/Echo");
  }

  @Test
  void unimplementedIsExpectedByName() throws Exception {
    checks.run(yaml(call("EchoThree", "Unimplemented", "", "")), () -> target);
    assertThatThrownBy(() -> checks.run(yaml(call("Echo", "Unimplemented", "", "")),
        () -> target)).hasMessageContaining("expected status Unimplemented, got OK");
  }

  @Test
  void anAuthorityThatIsNotAHostNameIsSent() throws Exception {
    // GRPCRouteRequestHeaderModifier sends the service name, underscores included.
    checks.run(yaml(call("Echo", "OK", "grpc-infra-backend-v1", "gateway-conformance-infra")
        + "authority: gateway_api_conformance.echo_basic.grpcecho.GrpcEcho\n"), () -> target);
  }

  @Test
  void grpcFailurePassesOnNonOkCodesAndFailsAtOnceOnOk() throws Exception {
    checks.run(yaml(call("EchoThree", "OK", "", "").replace("type: grpc", "type: grpcFailure")),
        () -> target);
    long start = System.nanoTime();
    assertThatThrownBy(() -> checks.run(yaml(call("Echo", "OK", "", "")
        .replace("type: grpc", "type: grpcFailure")), () -> target))
        .hasMessageContaining("grpcFailure")
        .hasMessageContaining("the call succeeded (answered by pod '" + POD + "')");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
  }

  @Test
  void nothingListeningIsAFailureButNeverAPass() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Target closed = new Target("127.0.0.1", port, 0, "http");
    checks.run(yaml(call("Echo", "OK", "", "").replace("type: grpc", "type: grpcFailure")),
        () -> closed);
    assertThatThrownBy(() -> checks.run(yaml(call("Echo", "OK", "", "")), () -> closed))
        .hasMessageContaining("expected status OK, got UNAVAILABLE");
  }

  private static String weighted(String weights) {
    return """
        type: weightedDistribution
        probe:
          type: grpc
          method: Echo
          response: {code: OK}
          backend: ''
          namespace: gateway-conformance-infra
        expectedWeights: %s
        totalRequests: 40
        concurrency: 10
        tolerance: 0.05
        maxAttempts: 2
        entropy: grpcJitterMetadata
        """.formatted(weights);
  }

  @Test
  void weightedDistributionCountsBackendsOfTheAnsweringPods() throws Exception {
    int before = echo.requests().size();
    checks.run(yaml(weighted("{grpc-infra-backend-v1: 1.0, grpc-infra-backend-v2: 0.0}")),
        () -> target);
    assertThat(echo.requests().size() - before).isEqualTo(3 + 40);
  }

  @Test
  void weightedDistributionFailsWhenAWeightedBackendGetsNothing() throws Exception {
    assertThatThrownBy(() -> checks.run(yaml(weighted(
        "{grpc-infra-backend-v1: 0.5, grpc-infra-backend-v2: 0.5}")), () -> target))
        .hasMessageContaining("weightedDistribution gRPC")
        .hasMessageContaining("after 2 attempts");
  }

  @Test
  void statusCodesAreNamedAsInGo() {
    assertThat(GrpcChecks.code("OK")).isEqualTo(Status.Code.OK);
    assertThat(GrpcChecks.code("Unimplemented")).isEqualTo(Status.Code.UNIMPLEMENTED);
    assertThat(GrpcChecks.code("DeadlineExceeded")).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    assertThat(GrpcChecks.code("Canceled")).isEqualTo(Status.Code.CANCELLED);
    assertThat(GrpcChecks.code("14")).isEqualTo(Status.Code.UNAVAILABLE);
    assertThatThrownBy(() -> GrpcChecks.code("Nope")).isInstanceOf(AssertionFailure.class);
  }
}
