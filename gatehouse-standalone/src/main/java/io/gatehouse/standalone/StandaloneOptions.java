package io.gatehouse.standalone;

import static java.util.Objects.requireNonNull;

import io.gatehouse.translator.TranslatorOptions;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Settings of {@link StandaloneGateway}.
 *
 * @param configDir the directory of Kubernetes YAML to serve
 * @param adminAddress the loopback address of the admin API
 * @param adminPort the admin API's port; 0 picks an ephemeral one
 * @param portOffset added to every listener port when binding (see the proxy's options)
 * @param controllerName the {@code spec.controllerName} of GatewayClasses served
 * @param debounce quiet time after a change before the directory is re-loaded
 */
public record StandaloneOptions(Path configDir, String adminAddress, int adminPort,
    int portOffset, String controllerName, Duration debounce) {
  public static final String DEFAULT_ADMIN_ADDRESS = "127.0.0.1";
  public static final int DEFAULT_ADMIN_PORT = 19000;
  public static final Duration DEFAULT_DEBOUNCE = Duration.ofMillis(200);

  public StandaloneOptions {
    requireNonNull(configDir, "configDir");
    requireNonNull(adminAddress, "adminAddress");
    requireNonNull(controllerName, "controllerName");
    requireNonNull(debounce, "debounce");
    if (adminPort < 0 || adminPort > 65535) {
      throw new IllegalArgumentException("adminPort out of range: " + adminPort);
    }
    if (portOffset < 0 || portOffset > 65534) {
      throw new IllegalArgumentException("portOffset out of range: " + portOffset);
    }
    if (debounce.isNegative()) {
      throw new IllegalArgumentException("debounce < 0");
    }
  }

  /**
   * Admin API on 127.0.0.1:19000, no port offset, the default controller name, 200 ms debounce.
   */
  public static StandaloneOptions defaults(Path configDir) {
    return new StandaloneOptions(configDir, DEFAULT_ADMIN_ADDRESS, DEFAULT_ADMIN_PORT, 0,
        TranslatorOptions.DEFAULT_CONTROLLER_NAME, DEFAULT_DEBOUNCE);
  }

  public StandaloneOptions withAdminPort(int port) {
    return new StandaloneOptions(configDir, adminAddress, port, portOffset, controllerName,
        debounce);
  }

  public StandaloneOptions withAdminAddress(String address) {
    return new StandaloneOptions(configDir, address, adminPort, portOffset, controllerName,
        debounce);
  }

  public StandaloneOptions withPortOffset(int offset) {
    return new StandaloneOptions(configDir, adminAddress, adminPort, offset, controllerName,
        debounce);
  }

  public StandaloneOptions withControllerName(String name) {
    return new StandaloneOptions(configDir, adminAddress, adminPort, portOffset, name, debounce);
  }

  public StandaloneOptions withDebounce(Duration d) {
    return new StandaloneOptions(configDir, adminAddress, adminPort, portOffset, controllerName,
        d);
  }
}
