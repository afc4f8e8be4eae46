package io.gatehouse.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.gatehouse.proxy.http.AccessLog;
import io.gatehouse.conformance.CaseResult;
import io.gatehouse.conformance.CaseResult.Outcome;
import io.gatehouse.conformance.ConformanceOptions;
import io.gatehouse.conformance.ConformanceRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Runs the Gateway API conformance cases (as data) against an in-process standalone gateway. */
@Command(name = "conformance", mixinStandardHelpOptions = true, header = "Run the Gateway API conformance cases against an in-process gateway.", description = "Replays the conformance cases (YAML, see docs/conformance.md) against a standalone gateway started in this process, with emulated echo backends, and writes a ConformanceReport and JUnit XML. Exit code 0 only when every case that ran passed.")
final class ConformanceCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--cases", required = true, description = "Folder of case files (cases/).")
  Path cases;

  @Option(names = "--manifests", required = true, description = "Folder of manifests (manifests/, with base/manifests.yaml).")
  Path manifests;

  @Option(names = "--report", description = "Where to write the ConformanceReport YAML.")
  Path report;

  @Option(names = "--junit", description = "Where to write the JUnit XML.")
  Path junit;

  @Option(names = "--run", paramLabel = "NAME", description = "Run only this case (repeatable).")
  List<String> run = new ArrayList<>();

  @Option(names = "--port-offset", defaultValue = "0", description = "Added to every listener port when binding and dialling, for running without root; the Host header stays as the suite sends it (default: ${DEFAULT-VALUE}).")
  int portOffset;

  @Option(names = "--case-timeout", defaultValue = "120", description = "Seconds a case may take before it fails (default: ${DEFAULT-VALUE}).")
  long caseTimeoutSeconds;

  @Override
  public Integer call() throws Exception {
    if (!Files.isDirectory(cases)) {
      throw new ParameterException(spec.commandLine(), "--cases: not a directory: " + cases);
    }
    if (!Files.isRegularFile(manifests.resolve("base/manifests.yaml"))) {
      throw new ParameterException(spec.commandLine(),
          "--manifests: no base/manifests.yaml in " + manifests);
    }
    if (System.getenv("GATEHOUSE_ACCESS_LOG") == null) {
      // stdout carries the summary; thousands of access log lines would bury it.
      ((Logger) LoggerFactory.getLogger(AccessLog.LOGGER)).setLevel(Level.OFF);
    }
    String version = Objects.requireNonNullElse(
        Main.class.getPackage().getImplementationVersion(), "dev");
    List<CaseResult> results;
    try {
      results = new ConformanceRunner(ConformanceOptions.of(cases, manifests, report, junit)
          .withRun(Set.copyOf(run))
          .withPortOffset(portOffset)
          .withCaseTimeout(Duration.ofSeconds(caseTimeoutSeconds))
          .withVersion(version)).run();
    } catch (IllegalArgumentException e) {
      // An unknown --run name: a usage error, not a crash.
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    long passed = results.stream().filter(r -> r.outcome() == Outcome.PASSED).count();
    long failed = results.stream().filter(r -> r.outcome() == Outcome.FAILED).count();
    long skipped = results.stream().filter(r -> r.outcome() == Outcome.SKIPPED).count();
    for (CaseResult r : results) {
      if (r.outcome() == Outcome.FAILED) {
        System.out.println("FAIL " + r.name() + ": " + r.message());
      }
    }
    System.out.printf("%d passed, %d failed, %d skipped%n", passed, failed, skipped);
    return failed == 0 ? 0 : 1;
  }
}
