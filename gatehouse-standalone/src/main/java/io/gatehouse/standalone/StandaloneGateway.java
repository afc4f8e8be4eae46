package io.gatehouse.standalone;

import static java.util.Objects.requireNonNull;

import io.gatehouse.model.GatewayConfig;
import io.gatehouse.model.HttpListener;
import io.gatehouse.model.Listener;
import io.gatehouse.proxy.BindFailure;
import io.gatehouse.proxy.GatewayProxy;
import io.gatehouse.proxy.ProxyOptions;
import io.gatehouse.standalone.admin.AdminServer;
import io.gatehouse.standalone.admin.StatusStore;
import io.gatehouse.standalone.file.FileError;
import io.gatehouse.standalone.file.FileSource;
import io.gatehouse.standalone.file.FileSourceOptions;
import io.gatehouse.standalone.file.SourceSnapshot;
import io.gatehouse.standalone.settings.SettingsFile;
import io.gatehouse.translator.ResourceSnapshot;
import io.gatehouse.translator.TranslationResult;
import io.gatehouse.translator.Translator;
import io.gatehouse.translator.TranslatorOptions;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Standalone mode in one object: a {@link FileSource} feeding the {@link Translator}, whose output
 * goes to the in-process {@link GatewayProxy} and, with statuses, to the {@link StatusStore} behind
 * the {@link AdminServer}.
 *
 * <p>
 * Each load of the directory is translated and applied as the next generation (1, 2, ...), unless
 * its resources equal those of the previous load. A translator exception is a bug: it is logged and
 * the last good configuration keeps serving. Snapshots are handled on the file source's thread, one
 * at a time.
 */
public final class StandaloneGateway implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StandaloneGateway.class);

  private final StandaloneOptions options;
  private final Function<ResourceSnapshot, TranslationResult> translator;
  private final Supplier<ConfigSink> sinkFactory;
  private final StatusStore store = new StatusStore();
  private final Object generationLock = new Object();
  private @Nullable ConfigSink sink;
  private @Nullable AdminServer admin;
  private @Nullable FileSource source;
  private @Nullable ResourceSnapshot lastResources;
  private Set<FileError> reportedErrors = Set.of();
  private Set<FileError> reportedWarnings = Set.of();
  private Set<BindFailure> reportedBindFailures = Set.of();
  private volatile long appliedGeneration;

  /** A gateway that translates with the real translator and serves with the real proxy. */
  public StandaloneGateway(StandaloneOptions options) {
    this(options, new Translator(new TranslatorOptions(options.controllerName()))::translate,
        () -> ConfigSink.of(GatewayProxy.start(options.proxy())));
  }

  StandaloneGateway(StandaloneOptions options,
      Function<ResourceSnapshot, TranslationResult> translator, Supplier<ConfigSink> sinkFactory) {
    this.options = requireNonNull(options, "options");
    this.translator = requireNonNull(translator, "translator");
    this.sinkFactory = requireNonNull(sinkFactory, "sinkFactory");
  }

  /**
   * Starts the proxy, the admin API and the file source, in that order; returns after the first
   * load has been applied (or failed to translate).
   *
   * @throws IOException if the admin port cannot be bound or the directory cannot be watched
   */
  public synchronized void start() throws IOException {
    if (sink != null) {
      throw new IllegalStateException("already started");
    }
    try {
      sink = sinkFactory.get();
      ConfigSink started = sink;
      admin = AdminServer.start(options.adminAddress(), options.adminPort(), store,
          started::counters, SettingsFile.toTree(options.proxy()));
      source = new FileSource(options.configDir(),
          FileSourceOptions.defaults().withDebounce(options.debounce()), this::onSnapshot);
      source.start();
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
  }

  /** The generation last applied to the proxy; 0 before the first. */
  public long appliedGeneration() {
    return appliedGeneration;
  }

  /**
   * Waits until generation {@code generation} or a later one has been applied.
   *
   * @return false if that did not happen within {@code timeout}
   */
  public boolean awaitGeneration(long generation, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (generationLock) {
      while (appliedGeneration < generation) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        generationLock.wait(Math.max(1, left / 1_000_000));
      }
      return true;
    }
  }

  /** The admin API's port (useful when started with port 0). */
  public int adminPort() {
    @Nullable
    AdminServer a = admin;
    if (a == null) {
      throw new IllegalStateException("not started");
    }
    return a.port();
  }

  /** The objects, statuses and errors shown on the admin API. */
  public StatusStore statusStore() {
    return store;
  }

  @Override
  public synchronized void close() {
    if (source != null) {
      source.close();
    }
    if (admin != null) {
      admin.close();
    }
    if (sink != null) {
      sink.close();
    }
  }

  private void onSnapshot(SourceSnapshot snapshot) {
    reportNewFileProblems(snapshot);
    if (snapshot.resources().equals(lastResources)) {
      LOG.debug("Load {} changed no resources", snapshot.loadGeneration());
      store.updateObjects(snapshot);
      return;
    }
    TranslationResult result;
    try {
      result = translator.apply(snapshot.resources());
    } catch (RuntimeException e) {
      LOG.error("Translator failed on load {} (a bug); generation {} keeps serving",
          snapshot.loadGeneration(), appliedGeneration, e);
      lastResources = snapshot.resources(); // pure: the same input would fail the same way
      store.updateObjects(snapshot);
      return;
    }
    if (apply(snapshot, result)) {
      lastResources = snapshot.resources();
    }
  }

  /** Applies one translation as the next generation; false if the proxy failed (a bug). */
  private boolean apply(SourceSnapshot snapshot, TranslationResult result) {
    long generation = appliedGeneration + 1;
    List<BindFailure> failures;
    try {
      failures = requireNonNull(sink, "sink").apply(generation, result.gateways());
    } catch (RuntimeException e) {
      LOG.error("Applying generation {} failed (a bug); generation {} keeps serving", generation,
          appliedGeneration, e);
      store.updateObjects(snapshot);
      return false;
    }
    store.updateGeneration(snapshot, result.statuses(), generation, result.gateways(), failures);
    reportNewBindFailures(failures);
    LOG.info("Applied generation {} (load {}): {} gateways, {} listeners, {} routes, {} errors",
        generation, snapshot.loadGeneration(), result.gateways().size(),
        result.gateways().stream().mapToInt(g -> g.listeners().size()).sum(),
        result.gateways().stream().mapToInt(StandaloneGateway::routeCount).sum(),
        snapshot.errors().size() + failures.size());
    // Last: whoever wakes up on the new generation finds it complete on the admin API.
    synchronized (generationLock) {
      appliedGeneration = generation;
      generationLock.notifyAll();
    }
    return true;
  }

  private void reportNewFileProblems(SourceSnapshot snapshot) {
    for (FileError e : snapshot.errors()) {
      if (!reportedErrors.contains(e)) {
        LOG.warn("{}:{}:{}: {}", e.path(), e.line(), e.column(), e.message());
      }
    }
    reportedErrors = Set.copyOf(snapshot.errors());
    for (FileError w : snapshot.warnings()) {
      if (!reportedWarnings.contains(w)) {
        LOG.warn("{}:{}:{}: {}", w.path(), w.line(), w.column(), w.message());
      }
    }
    reportedWarnings = Set.copyOf(snapshot.warnings());
  }

  private void reportNewBindFailures(List<BindFailure> failures) {
    for (BindFailure f : failures) {
      if (!reportedBindFailures.contains(f)) {
        LOG.warn("Listener {} cannot bind {}: {}", f.listener(), f.address(), f.message());
      }
    }
    reportedBindFailures = Set.copyOf(failures);
  }

  private static int routeCount(GatewayConfig gateway) {
    int routes = 0;
    for (Listener l : gateway.listeners()) {
      if (l instanceof HttpListener http) {
        routes += http.virtualHosts().stream().mapToInt(v -> v.routes().size()).sum();
      }
    }
    return routes;
  }
}
