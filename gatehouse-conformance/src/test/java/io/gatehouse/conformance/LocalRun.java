package io.gatehouse.conformance;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/** Developer entry point: {@code LocalRun <conformance dir> [case...]}. */
final class LocalRun {
  private LocalRun() {
  }

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    var results = new ConformanceRunner(ConformanceOptions.of(dir.resolve("cases"),
        dir.resolve("manifests"), Path.of("/tmp/conf-report.yaml"), Path.of("/tmp/conf-junit.xml"))
        .withRun(Set.of(java.util.Arrays.copyOfRange(args, 1, args.length)))
        .withCaseTimeout(Duration.ofSeconds(Long.getLong("caseTimeout", 120)))).run();
    results.forEach(r -> System.out.println(r.outcome() + " " + r.name() + " "
        + r.duration().toMillis() + "ms " + r.message()));
    System.exit(0);
  }
}
