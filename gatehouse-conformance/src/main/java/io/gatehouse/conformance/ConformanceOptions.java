package io.gatehouse.conformance;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/**
 * Settings of a {@link ConformanceRunner} run.
 *
 * @param casesDir the folder of case files ({@code cases/})
 * @param manifestsDir the folder of manifests ({@code manifests/}, with
 * {@code base/manifests.yaml})
 * @param report where the ConformanceReport YAML goes (null: not written)
 * @param junit where the JUnit XML goes (null: not written)
 * @param run the case names to run; empty = all
 * @param portOffset added to every listener port when binding and dialling (0 when running as root)
 * @param caseTimeout overall limit per case; a case that takes longer fails
 * @param version the implementation version written to the report
 */
public record ConformanceOptions(Path casesDir, Path manifestsDir, Path report, Path junit,
    Set<String> run, int portOffset, Duration caseTimeout, String version) {
  public static final String GATEWAY_CLASS = "gateway-conformance";
  public static final String CONTROLLER_NAME = "gatehouse.io/gateway-controller";

  public ConformanceOptions {
    requireNonNull(casesDir, "casesDir");
    requireNonNull(manifestsDir, "manifestsDir");
    run = Set.copyOf(run);
    requireNonNull(caseTimeout, "caseTimeout");
    requireNonNull(version, "version");
  }

  /** All cases, no port offset, 120 s per case. */
  public static ConformanceOptions of(Path casesDir, Path manifestsDir, Path report, Path junit) {
    return new ConformanceOptions(casesDir, manifestsDir, report, junit, Set.of(), 0,
        Duration.ofSeconds(120), "dev");
  }

  public ConformanceOptions withRun(Set<String> names) {
    return new ConformanceOptions(casesDir, manifestsDir, report, junit, names, portOffset,
        caseTimeout, version);
  }

  public ConformanceOptions withPortOffset(int offset) {
    return new ConformanceOptions(casesDir, manifestsDir, report, junit, run, offset, caseTimeout,
        version);
  }

  public ConformanceOptions withCaseTimeout(Duration timeout) {
    return new ConformanceOptions(casesDir, manifestsDir, report, junit, run, portOffset, timeout,
        version);
  }

  public ConformanceOptions withVersion(String v) {
    return new ConformanceOptions(casesDir, manifestsDir, report, junit, run, portOffset,
        caseTimeout, v);
  }
}
