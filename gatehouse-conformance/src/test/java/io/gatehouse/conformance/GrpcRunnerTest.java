package io.gatehouse.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.conformance.CaseResult.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gRPC checks end to end through the real standalone gateway on loopback: emulated gRPC echo
 * pods (a {@code GRPC_ECHO_SERVER} Deployment behind an h2c Service), an HTTPRoute that sends one
 * method to each backend and splits a header-selected one 70/30, and cases that must pass (routing,
 * a no-route 404 seen as UNIMPLEMENTED, the weighted split) or fail (wrong backend, an OK answer to
 * {@code grpcFailure}).
 */
class GrpcRunnerTest {
  @TempDir
  static Path suite;
  static Map<String, CaseResult> results;

  private static final String ECHO = "/gateway_api_conformance.echo_basic.grpcecho.GrpcEcho/";

  private static String backend(String name) {
    return """
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: %1$s, namespace: gateway-conformance-infra}
        spec:
          selector: {app: %1$s}
          ports: [{port: 8080, targetPort: 3000, appProtocol: kubernetes.io/h2c}]
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: %1$s, namespace: gateway-conformance-infra}
        spec:
          replicas: 2
          selector: {matchLabels: {app: %1$s}}
          template:
            metadata: {labels: {app: %1$s}}
            spec:
              containers:
              - name: %1$s
                image: echo-basic
                env: [{name: GRPC_ECHO_SERVER, value: "1"}]
        """.formatted(name);
  }

  private static final String BASE = """
      apiVersion: v1
      kind: Namespace
      metadata: {name: gateway-conformance-infra}
      ---
      apiVersion: gateway.networking.k8s.io/v1
      kind: Gateway
      metadata: {name: same-namespace, namespace: gateway-conformance-infra}
      spec:
        gatewayClassName: "{GATEWAY_CLASS_NAME}"
        listeners:
        - {name: http, port: 80, protocol: HTTP}
      """ + backend("grpc-infra-backend-v1") + backend("grpc-infra-backend-v2");

  private static final String ROUTE = """
      apiVersion: gateway.networking.k8s.io/v1
      kind: HTTPRoute
      metadata: {name: grpc, namespace: gateway-conformance-infra}
      spec:
        parentRefs: [{name: same-namespace}]
        rules:
        - matches: [{path: {type: Exact, value: %1$sEcho}}]
          backendRefs: [{name: grpc-infra-backend-v1, port: 8080}]
        - matches: [{path: {type: Exact, value: %1$sEchoTwo}}]
          backendRefs: [{name: grpc-infra-backend-v2, port: 8080}]
        - matches:
          - path: {type: Exact, value: %1$sEcho}
            headers: [{name: x-split, value: 'yes'}]
          backendRefs:
          - {name: grpc-infra-backend-v1, port: 8080, weight: 70}
          - {name: grpc-infra-backend-v2, port: 8080, weight: 30}
      """.formatted(ECHO);

  private static final String CASE = """
      name: %s
      featureNames: [Gateway, HTTPRoute]
      profiles: []
      manifests: [tests/route.yaml]
      gateway: {namespace: gateway-conformance-infra, name: same-namespace, port: 80, scheme: http}
      status:
      - assert: gatewayAndRoutesAccepted
        gateway: {namespace: gateway-conformance-infra, name: same-namespace}
        routeKind: HTTPRoute
        routes: [{namespace: gateway-conformance-infra, name: grpc}]
      requests:
      """;

  private static String call(String type, String method, String code, String backend,
      String metadata) {
    return """
        - type: %s
          method: %s
          response: {code: %s}
          backend: '%s'
          namespace: '%s'
          metadata: %s
        """.formatted(type, method, code, backend,
        backend.isEmpty() ? "" : "gateway-conformance-infra", metadata);
  }

  private static final String WEIGHTED = """
      - type: weightedDistribution
        probe:
          type: grpc
          method: Echo
          metadata: {x-split: 'yes'}
          response: {code: OK}
          backend: ''
          namespace: gateway-conformance-infra
        expectedWeights: {grpc-infra-backend-v1: 0.7, grpc-infra-backend-v2: 0.3}
        totalRequests: 500
        concurrency: 10
        tolerance: 0.05
        maxAttempts: 10
        entropy: grpcJitterMetadata
      """;

  @BeforeAll
  static void runSuite() throws Exception {
    Files.createDirectories(suite.resolve("manifests/base"));
    Files.createDirectories(suite.resolve("manifests/tests"));
    Files.createDirectories(suite.resolve("cases"));
    Files.writeString(suite.resolve("manifests/base/manifests.yaml"), BASE);
    Files.writeString(suite.resolve("manifests/tests/route.yaml"), ROUTE);
    write("Routed", CASE.formatted("Routed")
        + call("grpc", "Echo", "OK", "grpc-infra-backend-v1", "{}")
        + call("grpc", "EchoTwo", "OK", "grpc-infra-backend-v2", "{}")
        + call("grpc", "EchoThree", "Unimplemented", "", "{}")
        + call("grpcFailure", "EchoThree", "Unimplemented", "", "{}"));
    write("Weighted", CASE.formatted("Weighted") + WEIGHTED);
    write("WrongBackend", CASE.formatted("WrongBackend")
        + call("grpc", "EchoTwo", "OK", "grpc-infra-backend-v1", "{}"));
    write("FailureAnsweredOk", CASE.formatted("FailureAnsweredOk")
        + call("grpcFailure", "Echo", "OK", "", "{}"));
    write("SplitNotAsExpected", CASE.formatted("SplitNotAsExpected") + WEIGHTED
        .replace("0.7, grpc-infra-backend-v2: 0.3", "0.3, grpc-infra-backend-v2: 0.7")
        .replace("maxAttempts: 10", "maxAttempts: 2"));
    ConformanceOptions options = ConformanceOptions.of(suite.resolve("cases"),
        suite.resolve("manifests"), suite.resolve("out/report.yaml"),
        suite.resolve("out/junit.xml"))
        .withPortOffset(22000)
        .withCaseTimeout(Duration.ofSeconds(60));
    TrafficChecks.Timing timing = new TrafficChecks.Timing(Duration.ofSeconds(5), 3,
        Duration.ofSeconds(5), Duration.ofMillis(100));
    List<CaseResult> list = new ConformanceRunner(options, timing, Duration.ofSeconds(10)).run();
    results = list.stream().collect(Collectors.toMap(CaseResult::name, Function.identity()));
  }

  private static void write(String name, String text) throws Exception {
    Files.writeString(suite.resolve("cases/" + name + ".yaml"), text);
  }

  @Test
  void methodsReachTheirBackendsAndAnUnroutedMethodIsUnimplemented() {
    assertThat(results.get("Routed").outcome()).as(results.get("Routed").message())
        .isEqualTo(Outcome.PASSED);
  }

  @Test
  void weightedSplitIsMeasuredOnTheAnsweringPods() {
    assertThat(results.get("Weighted").outcome()).as(results.get("Weighted").message())
        .isEqualTo(Outcome.PASSED);
  }

  @Test
  void wrongBackendFails() {
    assertThat(results.get("WrongBackend").outcome()).isEqualTo(Outcome.FAILED);
    assertThat(results.get("WrongBackend").message()).contains(
        "gRPC " + ECHO + "EchoTwo", "expected a pod of grpc-infra-backend-v1, answered by "
            + "'grpc-infra-backend-v2-");
  }

  @Test
  void grpcFailureAnsweredOkFails() {
    assertThat(results.get("FailureAnsweredOk").outcome()).isEqualTo(Outcome.FAILED);
    assertThat(results.get("FailureAnsweredOk").message())
        .contains("grpcFailure " + ECHO + "Echo: the call succeeded (answered by pod "
            + "'grpc-infra-backend-v1-");
  }

  @Test
  void aSplitOtherThanExpectedFails() {
    assertThat(results.get("SplitNotAsExpected").outcome()).isEqualTo(Outcome.FAILED);
    assertThat(results.get("SplitNotAsExpected").message())
        .contains("weightedDistribution gRPC", "after 2 attempts");
  }
}
