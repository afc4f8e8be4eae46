package io.gatehouse.conformance;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.conformance.CaseResult.Outcome;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Writes the upstream {@code ConformanceReport} (apis/v1 of gateway-api's conformance package): per
 * profile, core (tests whose features are all core features of the profile) and extended (the rest)
 * with result, statistics, failed and skipped tests, and for extended the supported and unsupported
 * features.
 */
final class ReportWriter {
  /** Core features per profile (GEP-1709). */
  static final Map<String, Set<String>> CORE = Map.of(
      "GATEWAY-HTTP", Set.of("Gateway", "HTTPRoute", "ReferenceGrant"),
      "GATEWAY-TLS", Set.of("Gateway", "TLSRoute", "ReferenceGrant"),
      "GATEWAY-GRPC", Set.of("Gateway", "GRPCRoute", "ReferenceGrant"),
      "GATEWAY-TCP", Set.of("Gateway", "TCPRoute", "ReferenceGrant"),
      "GATEWAY-UDP", Set.of("Gateway", "UDPRoute", "ReferenceGrant"));

  private ReportWriter() {
  }

  static ObjectNode report(List<CaseResult> results, Set<String> supportedFeatures,
      String version, Instant date) {
    ObjectNode r = ObjectNodes.object();
    r.put("apiVersion", "gateway.networking.k8s.io/v1");
    r.put("kind", "ConformanceReport");
    r.put("date", date.truncatedTo(ChronoUnit.SECONDS).toString());
    r.put("gatewayAPIVersion", "v1.6.1");
    r.put("gatewayAPIChannel", "standard");
    ObjectNode impl = r.putObject("implementation");
    impl.put("organization", "gatehouse");
    impl.put("project", "gatehouse");
    impl.put("url", "https://github.com/gatehouse/gatehouse");
    impl.put("version", version);
    impl.putArray("contact").add("@gatehouse/maintainers");
    r.put("mode", "default");
    ArrayNode profiles = r.putArray("profiles");
    for (String profile : new TreeSet<>(CORE.keySet())) {
      List<CaseResult> core = new ArrayList<>();
      List<CaseResult> extended = new ArrayList<>();
      Set<String> extendedFeatures = new TreeSet<>();
      for (CaseResult c : results) {
        if (!c.profiles().contains(profile)) {
          continue;
        }
        if (CORE.get(profile).containsAll(c.featureNames())) {
          core.add(c);
        } else {
          extended.add(c);
          c.featureNames().stream().filter(f -> !CORE.get(profile).contains(f))
              .forEach(extendedFeatures::add);
        }
      }
      if (core.isEmpty() && extended.isEmpty()) {
        continue;
      }
      ObjectNode p = profiles.addObject();
      p.put("name", profile);
      status(p.putObject("core"), core);
      ObjectNode ext = p.putObject("extended");
      status(ext, extended);
      ArrayNode sup = ext.putArray("supportedFeatures");
      ArrayNode unsup = ext.putArray("unsupportedFeatures");
      extendedFeatures.forEach(f -> (supportedFeatures.contains(f) ? sup : unsup).add(f));
      p.put("summary", summary("Core", core) + " " + summary("Extended", extended));
    }
    return r;
  }

  static void write(Path file, ObjectNode report) {
    Yaml.write(file, List.of(report), Yaml.REPORT_MAPPER);
  }

  private static void status(ObjectNode s, List<CaseResult> cases) {
    long passed = cases.stream().filter(c -> c.outcome() == Outcome.PASSED).count();
    long failed = cases.stream().filter(c -> c.outcome() == Outcome.FAILED).count();
    long skipped = cases.stream().filter(c -> c.outcome() == Outcome.SKIPPED).count();
    s.put("result", failed > 0 ? "failure" : skipped > 0 ? "partial" : "success");
    ObjectNode stats = s.putObject("statistics");
    stats.put("Passed", passed);
    stats.put("Failed", failed);
    stats.put("Skipped", skipped);
    ArrayNode f = s.putArray("failedTests");
    ArrayNode k = s.putArray("skippedTests");
    cases.forEach(c -> {
      if (c.outcome() == Outcome.FAILED) {
        f.add(c.name());
      } else if (c.outcome() == Outcome.SKIPPED) {
        k.add(c.name());
      }
    });
  }

  private static String summary(String level, List<CaseResult> cases) {
    long failed = cases.stream().filter(c -> c.outcome() == Outcome.FAILED).count();
    long passed = cases.stream().filter(c -> c.outcome() == Outcome.PASSED).count();
    return level + " tests: " + passed + " of " + cases.size() + " passed, " + failed
        + " failed.";
  }
}
