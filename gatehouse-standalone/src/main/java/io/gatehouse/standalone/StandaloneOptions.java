package io.gatehouse.standalone;

import static java.util.Objects.requireNonNull;

import io.gatehouse.proxy.ProxyOptions;
import io.gatehouse.translator.TranslatorOptions;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Settings of {@link StandaloneGateway}.
 *
 * @param configDir the directory of Kubernetes YAML to serve
 * @param adminAddress the loopback address of the admin API
 * @param adminPort the admin API's port; 0 picks an ephemeral one
 * @param controllerName the {@code spec.controllerName} of GatewayClasses served
 * @param debounce quiet time after a change before the directory is re-loaded
 * @param proxy the data plane's settings (port offset, workers, edge limits)
 */
public record StandaloneOptions(Path configDir, String adminAddress, int adminPort,
    String controllerName, Duration debounce, ProxyOptions proxy) {
  public static final String DEFAULT_ADMIN_ADDRESS = "127.0.0.1";
  public static final int DEFAULT_ADMIN_PORT = 19000;
  public static final Duration DEFAULT_DEBOUNCE = Duration.ofMillis(200);

  public StandaloneOptions {
    requireNonNull(configDir, "configDir");
    requireNonNull(adminAddress, "adminAddress");
    requireNonNull(controllerName, "controllerName");
    requireNonNull(debounce, "debounce");
    requireNonNull(proxy, "proxy");
    if (adminPort < 0 || adminPort > 65535) {
      throw new IllegalArgumentException("adminPort out of range: " + adminPort);
    }
    if (proxy.portOffset() < 0 || proxy.portOffset() > 65534) {
      throw new IllegalArgumentException("portOffset out of range: " + proxy.portOffset());
    }
    if (debounce.isNegative()) {
      throw new IllegalArgumentException("debounce < 0");
    }
  }

  /**
   * Admin API on 127.0.0.1:19000, the default controller name, 200 ms debounce and the proxy's
   * defaults (no port offset, one worker per core).
   */
  public static StandaloneOptions defaults(Path configDir) {
    return new StandaloneOptions(configDir, DEFAULT_ADMIN_ADDRESS, DEFAULT_ADMIN_PORT,
        TranslatorOptions.DEFAULT_CONTROLLER_NAME, DEFAULT_DEBOUNCE, ProxyOptions.defaults());
  }

  /** Added to every listener port when binding (see {@link ProxyOptions#portOffset()}). */
  public int portOffset() {
    return proxy.portOffset();
  }

  public StandaloneOptions withAdminPort(int port) {
    return new StandaloneOptions(configDir, adminAddress, port, controllerName, debounce, proxy);
  }

  public StandaloneOptions withAdminAddress(String address) {
    return new StandaloneOptions(configDir, address, adminPort, controllerName, debounce, proxy);
  }

  public StandaloneOptions withPortOffset(int offset) {
    return withProxy(proxy.withPortOffset(offset));
  }

  public StandaloneOptions withControllerName(String name) {
    return new StandaloneOptions(configDir, adminAddress, adminPort, name, debounce, proxy);
  }

  public StandaloneOptions withDebounce(Duration d) {
    return new StandaloneOptions(configDir, adminAddress, adminPort, controllerName, d, proxy);
  }

  public StandaloneOptions withProxy(ProxyOptions p) {
    return new StandaloneOptions(configDir, adminAddress, adminPort, controllerName, debounce, p);
  }
}
