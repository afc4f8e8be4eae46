package io.gatehouse.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.conformance.CaseResult.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReportAndJunitTest {
  private final List<CaseResult> results = List.of(
      result("HTTPRouteSimpleSameNamespace", Outcome.PASSED, "", List.of("Gateway", "HTTPRoute")),
      result("HTTPRouteWeight", Outcome.FAILED, "weightedDistribution: backend <v3> got 5 & more",
          List.of("Gateway", "HTTPRoute")),
      result("HTTPRouteQueryParamMatching", Outcome.PASSED, "",
          List.of("Gateway", "HTTPRoute", "HTTPRouteQueryParamMatching")),
      result("HTTPRouteMethodMatching", Outcome.SKIPPED,
          "unsupported features: HTTPRouteMethodMatching",
          List.of("Gateway", "HTTPRoute", "HTTPRouteMethodMatching")));

  private static CaseResult result(String name, Outcome outcome, String message,
      List<String> features) {
    return new CaseResult(name, outcome, message, Duration.ofMillis(1500),
        List.of("GATEWAY-HTTP"), features);
  }

  @Test
  void reportSplitsCoreAndExtendedPerProfile() {
    ObjectNode report = ReportWriter.report(results, Set.of("Gateway", "HTTPRoute",
        "HTTPRouteQueryParamMatching"), "1.2.3", Instant.parse("2026-11-26T08:00:00.5Z"));
    assertThat(report.path("apiVersion").asText()).isEqualTo("gateway.networking.k8s.io/v1");
    assertThat(report.path("kind").asText()).isEqualTo("ConformanceReport");
    assertThat(report.path("date").asText()).isEqualTo("2026-11-26T08:00:00Z");
    assertThat(report.path("gatewayAPIVersion").asText()).isEqualTo("v1.6.1");
    assertThat(report.at("/implementation/version").asText()).isEqualTo("1.2.3");
    assertThat(report.path("profiles")).hasSize(1);
    JsonNode http = report.path("profiles").get(0);
    assertThat(http.path("name").asText()).isEqualTo("GATEWAY-HTTP");
    assertThat(http.at("/core/result").asText()).isEqualTo("failure");
    assertThat(http.at("/core/statistics/Passed").asInt()).isEqualTo(1);
    assertThat(http.at("/core/statistics/Failed").asInt()).isEqualTo(1);
    assertThat(http.at("/core/failedTests/0").asText()).isEqualTo("HTTPRouteWeight");
    assertThat(http.at("/extended/result").asText()).isEqualTo("partial");
    assertThat(http.at("/extended/skippedTests/0").asText()).isEqualTo("HTTPRouteMethodMatching");
    assertThat(http.at("/extended/supportedFeatures/0").asText())
        .isEqualTo("HTTPRouteQueryParamMatching");
    assertThat(http.at("/extended/unsupportedFeatures/0").asText())
        .isEqualTo("HTTPRouteMethodMatching");
  }

  @Test
  void junitHasOneTestcasePerCaseWithEscapedMessages() {
    String xml = JunitWriter.xml(results);
    assertThat(xml).contains("tests=\"4\" failures=\"1\" errors=\"0\" skipped=\"1\"",
        "<testcase classname=\"gateway-api-conformance\" name=\"HTTPRouteSimpleSameNamespace\" "
            + "time=\"1.500\"/>",
        "<failure message=\"weightedDistribution: backend &lt;v3&gt; got 5 &amp; more\">",
        "<skipped message=\"unsupported features: HTTPRouteMethodMatching\"/>");
  }
}
