package io.gatehouse.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.conformance.CaseResult.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The whole conformance suite (every case whose features the gateway publishes) against the real
 * gateway on loopback; writes {@code target/conformance-report.yaml} and
 * {@code target/conformance-junit.xml}. Listener ports are bound as written when running as root,
 * else with a port offset of 20000. Fails when {@code conformance.dir} is not there;
 * {@code -Dconformance.run=A,B} restricts the run to those cases.
 */
class CoreConformanceIT {
  private static Set<String> runOnly() {
    String run = System.getProperty("conformance.run", "").strip();
    return run.isEmpty() ? Set.of() : Set.copyOf(Arrays.asList(run.split("\\s*,\\s*")));
  }

  @Test
  void everyCaseThatRunsPasses() throws Exception {
    Path dir = Path.of(System.getProperty("conformance.dir", "../../shared/conformance"));
    // Never skipped: a build that cannot find the suite must say so, not pass without running it.
    assertThat(dir.resolve("cases")).as("the conformance suite (-Dconformance.dir)").isDirectory();
    boolean root = "root".equals(System.getProperty("user.name"));
    List<CaseResult> results = new ConformanceRunner(ConformanceOptions.of(dir.resolve("cases"),
        dir.resolve("manifests"), Path.of("target/conformance-report.yaml"),
        Path.of("target/conformance-junit.xml"))
        .withPortOffset(root ? 0 : 20000)
        .withRun(runOnly())).run();
    String failures = results.stream().filter(r -> r.outcome() == Outcome.FAILED)
        .map(r -> r.name() + ": " + r.message())
        .collect(Collectors.joining("\n"));
    assertThat(failures).as("failed cases").isEmpty();
    assertThat(results.stream().filter(r -> r.outcome() == Outcome.PASSED).count())
        .as("passed cases").isPositive();
  }
}
