package io.gatehouse.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.conformance.CaseResult.Outcome;
import io.gatehouse.conformance.ConfigDirectory.Ref;
import io.gatehouse.standalone.StandaloneGateway;
import io.gatehouse.standalone.StandaloneOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The conformance run, as the Go suite does it (HARNESS.md §1): provide the GatewayClass under
 * test, apply the base manifests and the generated certificates, start an in-process
 * {@link StandaloneGateway} on that directory, wait for the base Gateways, then run each case in
 * file order with a fresh configuration (its objects removed and gone from the status store
 * afterwards), and write the ConformanceReport and JUnit XML.
 *
 * <p>
 * A case runs when the GatewayClass publishes every feature it needs in
 * {@code status.supportedFeatures}; otherwise it is skipped. Each case runs on its own thread under
 * {@link ConformanceOptions#caseTimeout()}, so one hang fails that case, not the run.
 */
public final class ConformanceRunner {
  private static final Logger LOG = LoggerFactory.getLogger(ConformanceRunner.class);

  private final ConformanceOptions options;
  private final TrafficChecks.Timing timing;
  private final Duration maxStatusTimeout;

  public ConformanceRunner(ConformanceOptions options) {
    this(options, TrafficChecks.Timing.defaults(), Duration.ofSeconds(300));
  }

  /** With other timing (unit tests): traffic timing and a cap on status assertion timeouts. */
  ConformanceRunner(ConformanceOptions options, TrafficChecks.Timing timing,
      Duration maxStatusTimeout) {
    this.options = options;
    this.timing = timing;
    this.maxStatusTimeout = maxStatusTimeout;
  }

  /** Runs the selected cases and writes the outputs; returns every case's result. */
  public List<CaseResult> run() throws IOException, InterruptedException {
    List<Path> caseFiles = caseFiles();
    Path work = Files.createTempDirectory("gatehouse-conformance-");
    // Both layers exist before the gateway watches, so no case file lands in an unwatched folder.
    Files.createDirectories(work.resolve(EmulatedCluster.BASE));
    Files.createDirectories(work.resolve(EmulatedCluster.CASE));
    LOG.info("Generating certificates; configuration in {}", work);
    GeneratedCertificates certs = GeneratedCertificates.generate();
    Placeholders placeholders = new Placeholders(ConformanceOptions.GATEWAY_CLASS,
        ConformanceOptions.CONTROLLER_NAME, certs::value, AddressPools.defaults());
    List<CaseResult> results = new ArrayList<>();
    Set<String> supported = Set.of();
    try (EmulatedCluster cluster = new EmulatedCluster(work, placeholders)) {
      cluster.apply(EmulatedCluster.BASE, List.of(gatewayClass()));
      cluster.apply(EmulatedCluster.BASE, certs.objects());
      cluster.applyFile(EmulatedCluster.BASE,
          options.manifestsDir().resolve("base/manifests.yaml"));
      try (StandaloneGateway gateway = new StandaloneGateway(StandaloneOptions.defaults(work)
          .withAdminPort(0)
          .withPortOffset(options.portOffset())
          .withControllerName(ConformanceOptions.CONTROLLER_NAME)
          .withDebounce(Duration.ofMillis(100)))) {
        gateway.start();
        StatusView view = StatusView.of(gateway.statusStore());
        awaitBase(view, cluster);
        supported = supportedFeatures(view);
        LOG.info("Supported features: {}", supported);
        for (Path file : caseFiles) {
          JsonNode c;
          try {
            c = Yaml.read(file);
          } catch (RuntimeException e) {
            results.add(new CaseResult(file.getFileName().toString().replace(".yaml", ""),
                Outcome.FAILED, "cannot read the case: " + e.getMessage(), Duration.ZERO,
                List.of(), List.of()));
            continue;
          }
          results.add(runCase(c, supported, cluster, view));
        }
      }
    } finally {
      deleteTree(work);
    }
    if (options.report() != null) {
      ReportWriter.write(options.report(),
          ReportWriter.report(results, supported, options.version(), Instant.now()));
    }
    if (options.junit() != null) {
      JunitWriter.write(options.junit(), results);
    }
    return results;
  }

  private List<Path> caseFiles() throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(options.casesDir())) {
      files = s.filter(p -> p.getFileName().toString().endsWith(".yaml"))
          .sorted(Comparator.comparing(p -> p.getFileName().toString()))
          .toList();
    }
    if (options.run().isEmpty()) {
      return files;
    }
    List<Path> selected = files.stream()
        .filter(p -> options.run().contains(p.getFileName().toString().replace(".yaml", "")))
        .toList();
    Set<String> unknown = new TreeSet<>(options.run());
    selected.forEach(p -> unknown.remove(p.getFileName().toString().replace(".yaml", "")));
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException("No such cases: " + unknown);
    }
    return selected;
  }

  static ObjectNode gatewayClass() {
    ObjectNode gc = ObjectNodes.object();
    gc.put("apiVersion", "gateway.networking.k8s.io/v1");
    gc.put("kind", "GatewayClass");
    gc.putObject("metadata").put("name", ConformanceOptions.GATEWAY_CLASS);
    gc.putObject("spec").put("controllerName", ConformanceOptions.CONTROLLER_NAME);
    return gc;
  }

  /** Waits for the GatewayClass and the base Gateways; a failure is logged, cases then fail. */
  private void awaitBase(StatusView view, EmulatedCluster cluster) throws InterruptedException {
    StatusAssertions s = new StatusAssertions(view, ConformanceOptions.CONTROLLER_NAME,
        cluster::pods);
    try {
      s.run(ObjectNodes.object().put("assert", "gatewayClassAcceptedAny")
          .put("gatewayClass", ConformanceOptions.GATEWAY_CLASS));
      ObjectNode ready = ObjectNodes.object().put("assert", "namespacesReady");
      ready.putArray("namespaces").add("gateway-conformance-infra");
      String problem = s.check("namespacesReady", ready);
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (problem != null && System.nanoTime() - deadline < 0) {
        Thread.sleep(200);
        problem = s.check("namespacesReady", ready);
      }
      if (problem != null) {
        LOG.warn("Base Gateways not ready (cases may fail): {}", problem);
      }
    } catch (AssertionFailure e) {
      LOG.warn("GatewayClass under test not accepted: {}", e.getMessage());
    }
  }

  static Set<String> supportedFeatures(StatusView view) {
    Set<String> out = new TreeSet<>();
    view.object("GatewayClass", "", ConformanceOptions.GATEWAY_CLASS).ifPresent(gc -> {
      for (JsonNode f : gc.path("status").path("supportedFeatures")) {
        out.add(f.isTextual() ? f.asText() : f.path("name").asText());
      }
    });
    return out;
  }

  private CaseResult runCase(JsonNode c, Set<String> supported, EmulatedCluster cluster,
      StatusView view) throws InterruptedException {
    String name = c.path("name").asText();
    List<String> profiles = strings(c.path("profiles"));
    List<String> features = strings(c.path("featureNames"));
    Set<String> missing = new LinkedHashSet<>(features);
    missing.removeAll(supported);
    if (!missing.isEmpty()) {
      LOG.info("SKIP {}: missing features {}", name, missing);
      return new CaseResult(name, Outcome.SKIPPED, "unsupported features: "
          + String.join(", ", missing), Duration.ZERO, profiles, features);
    }
    for (JsonNode f : c.path("skipUnlessSupported")) {
      if (!supported.contains(f.asText().replaceFirst("^Support", ""))) {
        return new CaseResult(name, Outcome.PASSED, "passes at once: " + f.asText()
            + " is not supported", Duration.ZERO, profiles, features);
      }
    }
    for (JsonNode f : c.path("skipIfSupported")) {
      if (supported.contains(f.asText().replaceFirst("^Support", ""))) {
        return new CaseResult(name, Outcome.PASSED, "passes at once: " + f.asText()
            + " is supported", Duration.ZERO, profiles, features);
      }
    }
    LOG.info("RUN  {}", name);
    long start = System.nanoTime();
    Outcome outcome = Outcome.PASSED;
    String message = "";
    ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "conformance-" + name);
      t.setDaemon(true);
      return t;
    });
    StatusAssertions status = new StatusAssertions(view, ConformanceOptions.CONTROLLER_NAME,
        cluster::pods, Duration.ofMillis(100), maxStatusTimeout);
    TrafficChecks traffic = new TrafficChecks(timing, cluster.placeholders().generated(),
        cluster::logLines);
    CaseRunner runner = new CaseRunner(cluster, options.manifestsDir(), status, traffic,
        options.portOffset());
    Future<?> future = thread.submit(() -> {
      runner.run(c);
      return null;
    });
    try {
      future.get(options.caseTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      outcome = Outcome.FAILED;
      message = (e.getCause() instanceof AssertionFailure f
          ? f.getMessage()
          : "runner error: " + e.getCause()) + caseFileProblems(view);
      if (!(e.getCause() instanceof AssertionFailure)) {
        LOG.warn("Case {} crashed", name, e.getCause());
      }
    } catch (TimeoutException e) {
      future.cancel(true);
      outcome = Outcome.FAILED;
      message = "timed out after " + options.caseTimeout().toSeconds() + " s"
          + caseFileProblems(view);
    } finally {
      thread.shutdownNow();
      thread.awaitTermination(15, TimeUnit.SECONDS);
    }
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    LOG.info("{} {} ({} ms){}", outcome == Outcome.PASSED ? "PASS" : "FAIL", name,
        took.toMillis(), message.isEmpty() ? "" : ": " + message);
    cleanup(cluster, view);
    return new CaseResult(name, outcome, message, took, profiles, features);
  }

  /**
   * What the gateway said about the case's files (e.g. a kind it does not load), so that a failure
   * caused by an ignored manifest says so; empty when nothing was reported.
   */
  static String caseFileProblems(StatusView view) {
    List<String> problems = view.fileProblems().stream()
        .filter(p -> p.startsWith(EmulatedCluster.CASE + "/"))
        .toList();
    return problems.isEmpty()
        ? ""
        : " [gateway file problems: " + String.join("; ", problems)
            + "]";
  }

  /** Removes the case's objects and waits until the gateway no longer shows them. */
  private static void cleanup(EmulatedCluster cluster, StatusView view)
      throws InterruptedException {
    List<Ref> gone = cluster.clearCase();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    for (Ref ref : gone) {
      while (view.object(ref.kind(), ref.namespace(), ref.name()).isPresent()) {
        if (System.nanoTime() - deadline > 0) {
          LOG.warn("{} still present 30 s after its file was deleted", ref);
          return;
        }
        Thread.sleep(100);
      }
    }
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> s = Files.walk(root)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException | UncheckedIOException e) {
      LOG.debug("Cannot delete {}", root, e);
    }
  }
}
