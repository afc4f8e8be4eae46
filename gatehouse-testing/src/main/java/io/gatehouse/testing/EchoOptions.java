package io.gatehouse.testing;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * Settings of one emulated echo-basic pod port (HARNESS.md §3.1).
 *
 * @param bindAddress IP address or host name to bind, e.g. {@code 127.0.0.1} or a loopback alias
 * @param port TCP port to bind; 0 picks an ephemeral port (see {@link EchoServer#address()})
 * @param podName value of the {@code pod} field, shaped {@code <deployment>-<rs hash>-<pod hash>}
 * @param namespace value of the {@code namespace} field
 * @param h2cOnly behave like echo-basic's port 3001: HTTP/1.x requests without {@code Upgrade: h2c}
 * get 400 {@code Expected h2c request}, everything else is echoed
 * @param tls serve HTTPS with these settings (echo-basic port 8443), or null for cleartext
 */
public record EchoOptions(String bindAddress, int port, String podName, String namespace,
    boolean h2cOnly, @Nullable EchoTls tls) {

  public EchoOptions {
    requireNonNull(bindAddress, "bindAddress");
    requireNonNull(podName, "podName");
    requireNonNull(namespace, "namespace");
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be within 0..65535: " + port);
    }
  }

  /** A cleartext port. */
  public EchoOptions(String bindAddress, int port, String podName, String namespace,
      boolean h2cOnly) {
    this(bindAddress, port, podName, namespace, h2cOnly, null);
  }

  /** A copy serving HTTPS with {@code tls}. */
  public EchoOptions withTls(EchoTls tls) {
    return new EchoOptions(bindAddress, port, podName, namespace, h2cOnly, tls);
  }

  /** An HTTP/1.1 + h2c echo port (echo-basic port 3000). */
  public static EchoOptions of(String bindAddress, int port, String podName, String namespace) {
    return new EchoOptions(bindAddress, port, podName, namespace, false);
  }

  /** A copy with {@link #h2cOnly()} set as given. */
  public EchoOptions withH2cOnly(boolean h2cOnly) {
    return new EchoOptions(bindAddress, port, podName, namespace, h2cOnly, tls);
  }
}
