package io.gatehouse.app;

import io.gatehouse.proxy.ProxyOptions;
import io.gatehouse.standalone.StandaloneGateway;
import io.gatehouse.standalone.StandaloneOptions;
import io.gatehouse.standalone.settings.InvalidSettingsException;
import io.gatehouse.translator.TranslatorOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Serves a directory of Kubernetes YAML until interrupted. */
@Command(name = "standalone", mixinStandardHelpOptions = true, header = "Serve a directory of Kubernetes YAML (watched, applied live).", description = "Serve the Gateways described by a directory of Kubernetes YAML (GatewayClass, Gateway, HTTPRoute, Service, EndpointSlice, ...). The directory is watched: changes apply within a second, and a file that does not parse leaves the last good configuration serving. Status and the live configuration are on the admin API (http://127.0.0.1:19000/objects). The data plane's settings (limits, timeouts, path and header policies) come from --settings FILE and are read at startup only; flags given here win over the file.")
final class StandaloneCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--config-dir", required = true, description = "Directory of *.yaml/*.yml files (searched recursively).")
  Path configDir;

  @Option(names = "--settings", paramLabel = "FILE", description = "Data-plane settings file (YAML; see docs/configuration.md, \"Settings file\"). Unknown fields and bad values stop the start. Default: the built-in defaults.")
  @Nullable
  Path settings;

  @Option(names = "--print-settings", description = "Print the effective settings (defaults, the settings file, then these flags) as YAML and exit without serving.")
  boolean printSettings;

  @Option(names = "--admin-port", defaultValue = "19000", description = "Admin API port on 127.0.0.1; 0 for any (default: ${DEFAULT-VALUE}).")
  int adminPort;

  @Option(names = "--port-offset", description = "Added to every listener port when binding, for running without root: with 10000, a listener on port 80 binds 10080. Wins over proxy.portOffset of the settings file (default: 0).")
  @Nullable
  Integer portOffset;

  @Option(names = "--controller-name", defaultValue = TranslatorOptions.DEFAULT_CONTROLLER_NAME, description = "spec.controllerName of the GatewayClasses to serve (default: ${DEFAULT-VALUE}).")
  String controllerName;

  @Option(names = "--workers", description = "Event-loop threads of the proxy; 0 means one per available processor. Wins over proxy.workers of the settings file (default: 0).")
  @Nullable
  Integer workers;

  @Override
  public Integer call() {
    if (workers != null && (workers < 0 || workers > 4096)) {
      throw new ParameterException(spec.commandLine(), "--workers: must be 0 to 4096: " + workers);
    }
    if (portOffset != null && (portOffset < 0 || portOffset > 65534)) {
      throw new ParameterException(spec.commandLine(),
          "--port-offset: must be 0 to 65534: " + portOffset);
    }
    if (printSettings) {
      return SettingsCommand.print(spec, settings, this::applyFlags);
    }
    if (!Files.isDirectory(configDir)) {
      throw new ParameterException(spec.commandLine(),
          "--config-dir: not a directory: " + configDir);
    }
    ProxyOptions proxy;
    try {
      proxy = applyFlags(SettingsCommand.load(settings));
    } catch (InvalidSettingsException e) {
      return SettingsCommand.fail(spec, e);
    }
    StandaloneOptions options = StandaloneOptions.defaults(configDir)
        .withAdminPort(adminPort)
        .withControllerName(controllerName)
        .withProxy(proxy);
    StandaloneGateway gateway = start(options);
    Shutdown.closeOnExit(gateway).await();
    return 0;
  }

  /** The flags given on the command line win over the settings file. */
  private ProxyOptions applyFlags(ProxyOptions fromFile) {
    ProxyOptions proxy = fromFile;
    if (workers != null) {
      proxy = proxy.withWorkerThreads(workers);
    }
    if (portOffset != null) {
      proxy = proxy.withPortOffset(portOffset);
    }
    return proxy;
  }

  /** Starts a standalone gateway or explains why it could not. */
  static StandaloneGateway start(StandaloneOptions options) {
    StandaloneGateway gateway = new StandaloneGateway(options);
    try {
      gateway.start();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start: " + e.getMessage(), e);
    }
    return gateway;
  }
}
