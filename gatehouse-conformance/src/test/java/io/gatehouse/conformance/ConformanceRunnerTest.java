package io.gatehouse.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.conformance.CaseResult.Outcome;
import java.io.IOException;
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
 * The runner end to end on a small suite of its own (one Gateway, one echo Deployment), against the
 * real standalone gateway on loopback with a port offset: a correct case passes, and cases with a
 * deliberately wrong expectation (backend, condition reason, request header, status code) fail with
 * a message naming what differed.
 */
class ConformanceRunnerTest {
  @TempDir
  static Path suite;
  static Map<String, CaseResult> results;
  static String report;
  static String junit;

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
      ---
      apiVersion: v1
      kind: Service
      metadata: {name: infra-backend-v1, namespace: gateway-conformance-infra}
      spec:
        selector: {app: infra-backend-v1}
        ports: [{name: first-port, port: 8080, targetPort: 3000}]
      ---
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: infra-backend-v1, namespace: gateway-conformance-infra}
      spec:
        replicas: 2
        selector: {matchLabels: {app: infra-backend-v1}}
        template:
          metadata: {labels: {app: infra-backend-v1}}
          spec: {containers: [{name: echo, image: echo-basic}]}
      """;

  private static final String ROUTE = """
      apiVersion: gateway.networking.k8s.io/v1
      kind: HTTPRoute
      metadata: {name: simple, namespace: gateway-conformance-infra}
      spec:
        parentRefs: [{name: same-namespace}]
        rules:
        - backendRefs: [{name: infra-backend-v1, port: 8080}]
      """;

  private static final String CASE = """
      name: %s
      featureNames: %s
      profiles: [GATEWAY-HTTP]
      manifests: [tests/route.yaml]
      gateway: {namespace: gateway-conformance-infra, name: same-namespace, port: 80, scheme: http}
      status:
      - assert: gatewayAndRoutesAccepted
        gateway: {namespace: gateway-conformance-infra, name: same-namespace}
        routeKind: HTTPRoute
        routes: [{namespace: gateway-conformance-infra, name: simple}]
      - assert: routeCondition
        kind: HTTPRoute
        namespace: gateway-conformance-infra
        name: simple
        parentRef: {namespace: gateway-conformance-infra, name: same-namespace}
        condition: {type: ResolvedRefs, status: 'True', reason: %s}
      requests:
      - request: {method: GET, path: '/hello?x=1', protocol: HTTP}
        expectedRequest: {method: GET, path: '/hello?x=1', headers: %s}
        response: {statusCodes: [%d]}
        backend: %s
        namespace: gateway-conformance-infra
      """;

  @BeforeAll
  static void runSuite() throws Exception {
    Files.createDirectories(suite.resolve("manifests/base"));
    Files.createDirectories(suite.resolve("manifests/tests"));
    Files.createDirectories(suite.resolve("cases"));
    Files.writeString(suite.resolve("manifests/base/manifests.yaml"), BASE);
    Files.writeString(suite.resolve("manifests/tests/route.yaml"), ROUTE);
    writeCase("Good", "[Gateway, HTTPRoute]", "ResolvedRefs", "{}", 200, "infra-backend-v1");
    writeCase("WrongBackend", "[Gateway, HTTPRoute]", "ResolvedRefs", "{}", 200,
        "infra-backend-v2");
    writeCase("WrongReason", "[Gateway, HTTPRoute]", "BackendNotFound", "{}", 200,
        "infra-backend-v1");
    writeCase("MissingHeader", "[Gateway, HTTPRoute]", "ResolvedRefs", "{X-Missing: 'yes'}", 200,
        "infra-backend-v1");
    writeCase("WrongStatus", "[Gateway, HTTPRoute]", "ResolvedRefs", "{}", 404,
        "infra-backend-v1");
    Files.writeString(suite.resolve("manifests/tests/widget.yaml"), """
        apiVersion: example.com/v1
        kind: Widget
        metadata: {name: w, namespace: gateway-conformance-infra}
        """);
    Files.writeString(suite.resolve("cases/IgnoredManifest.yaml"),
        CASE.formatted("IgnoredManifest", "[Gateway, HTTPRoute]", "ResolvedRefs", "{}", 404,
            "infra-backend-v1").replace("manifests: [tests/route.yaml]",
                "manifests: [tests/route.yaml, tests/widget.yaml]"));
    writeCase("NeedsMagic", "[Gateway, HTTPRoute, Magic]", "ResolvedRefs", "{}", 200, "");
    ConformanceOptions options = ConformanceOptions.of(suite.resolve("cases"),
        suite.resolve("manifests"), suite.resolve("out/report.yaml"),
        suite.resolve("out/junit.xml"))
        .withPortOffset(21000)
        .withCaseTimeout(Duration.ofSeconds(30));
    TrafficChecks.Timing timing = new TrafficChecks.Timing(Duration.ofSeconds(3), 3,
        Duration.ofSeconds(2), Duration.ofMillis(100));
    List<CaseResult> list = new ConformanceRunner(options, timing, Duration.ofSeconds(10)).run();
    results = list.stream().collect(Collectors.toMap(CaseResult::name, Function.identity()));
    report = Files.readString(suite.resolve("out/report.yaml"));
    junit = Files.readString(suite.resolve("out/junit.xml"));
  }

  private static void writeCase(String name, String features, String reason, String headers,
      int status, String backend) throws IOException {
    Files.writeString(suite.resolve("cases/" + name + ".yaml"),
        CASE.formatted(name, features, reason, headers, status, backend));
  }

  @Test
  void correctCasePasses() {
    assertThat(results.get("Good").outcome()).as(results.get("Good").message())
        .isEqualTo(Outcome.PASSED);
  }

  @Test
  void wrongBackendFails() {
    assertThat(results.get("WrongBackend").outcome()).isEqualTo(Outcome.FAILED);
    assertThat(results.get("WrongBackend").message())
        .contains("expected pod of infra-backend-v2", "answered by \"infra-backend-v1-");
  }

  @Test
  void wrongReasonFails() {
    assertThat(results.get("WrongReason").outcome()).isEqualTo(Outcome.FAILED);
    assertThat(results.get("WrongReason").message())
        .contains("routeCondition", "expected ResolvedRefs=True/BackendNotFound",
            "ResolvedRefs=True/ResolvedRefs");
  }

  @Test
  void missingRequestHeaderFails() {
    assertThat(results.get("MissingHeader").outcome()).isEqualTo(Outcome.FAILED);
    assertThat(results.get("MissingHeader").message())
        .contains("expected request header X-Missing not received by the backend");
  }

  @Test
  void wrongStatusFails() {
    assertThat(results.get("WrongStatus").message()).contains("expected status 404, got 200");
  }

  @Test
  void failureNamesManifestsTheGatewayIgnored() {
    assertThat(results.get("IgnoredManifest").message())
        .contains("expected status 404, got 200", "[gateway file problems: case/Widget.",
            "Unknown kind \"Widget\"");
  }

  @Test
  void unsupportedFeatureSkips() {
    assertThat(results.get("NeedsMagic").outcome()).isEqualTo(Outcome.SKIPPED);
    assertThat(results.get("NeedsMagic").message()).isEqualTo("unsupported features: Magic");
  }

  @Test
  void reportAndJunitAreWritten() {
    assertThat(report).contains("kind: ConformanceReport", "name: GATEWAY-HTTP",
        "Passed: 1", "Failed: 5", "- WrongBackend");
    assertThat(junit).contains("<testcase classname=\"gateway-api-conformance\" name=\"Good\"",
        "<failure message=\"HTTP GET /hello?x=1: expected pod of infra-backend-v2",
        "<skipped message=\"unsupported features: Magic\"/>");
  }
}
