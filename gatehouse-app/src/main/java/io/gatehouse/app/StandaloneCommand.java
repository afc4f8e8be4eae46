package io.gatehouse.app;

import io.gatehouse.standalone.StandaloneGateway;
import io.gatehouse.standalone.StandaloneOptions;
import io.gatehouse.translator.TranslatorOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Serves a directory of Kubernetes YAML until interrupted. */
@Command(name = "standalone", mixinStandardHelpOptions = true, header = "Serve a directory of Kubernetes YAML (watched, applied live).", description = "Serve the Gateways described by a directory of Kubernetes YAML (GatewayClass, Gateway, HTTPRoute, Service, EndpointSlice, ...). The directory is watched: changes apply within a second, and a file that does not parse leaves the last good configuration serving. Status and the live configuration are on the admin API (http://127.0.0.1:19000/objects).")
final class StandaloneCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Option(names = "--config-dir", required = true, description = "Directory of *.yaml/*.yml files (searched recursively).")
  Path configDir;

  @Option(names = "--admin-port", defaultValue = "19000", description = "Admin API port on 127.0.0.1; 0 for any (default: ${DEFAULT-VALUE}).")
  int adminPort;

  @Option(names = "--port-offset", defaultValue = "0", description = "Added to every listener port when binding, for running without root: with 10000, a listener on port 80 binds 10080 (default: ${DEFAULT-VALUE}).")
  int portOffset;

  @Option(names = "--controller-name", defaultValue = TranslatorOptions.DEFAULT_CONTROLLER_NAME, description = "spec.controllerName of the GatewayClasses to serve (default: ${DEFAULT-VALUE}).")
  String controllerName;

  @Option(names = "--workers", defaultValue = "0", description = "Event-loop threads of the proxy; 0 means one per available processor (default: ${DEFAULT-VALUE}).")
  int workers;

  @Override
  public void run() {
    if (workers < 0) {
      throw new ParameterException(spec.commandLine(), "--workers: must be 0 or more: " + workers);
    }
    if (!Files.isDirectory(configDir)) {
      throw new ParameterException(spec.commandLine(),
          "--config-dir: not a directory: " + configDir);
    }
    StandaloneOptions options = StandaloneOptions.defaults(configDir)
        .withAdminPort(adminPort)
        .withPortOffset(portOffset)
        .withControllerName(controllerName);
    options = options.withProxy(options.proxy().withWorkerThreads(workers));
    StandaloneGateway gateway = start(options);
    Shutdown.closeOnExit(gateway).await();
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
