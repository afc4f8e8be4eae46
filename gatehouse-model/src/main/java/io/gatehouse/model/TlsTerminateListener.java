package io.gatehouse.model;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A TLS listener in mode {@code Terminate} serving TLSRoutes: the proxy completes the handshake
 * with the certificate chosen by SNI (as on an {@link HttpsListener}), then picks the route serving
 * the SNI name and relays the decrypted bytes over TCP to its backend (over TLS again when the
 * backend's cluster has {@link Cluster#tls()}).
 *
 * @param routes hostnames unique across them
 * @param certificates at least one; SNI names unique across them
 */
public record TlsTerminateListener(String name, String address, int port, List<L4Route> routes,
    List<ServerCertificate> certificates)
    implements
      Listener {
  public TlsTerminateListener {
    requireNonNull(name, "name");
    requireNonNull(address, "address");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    routes = List.copyOf(routes);
    certificates = List.copyOf(certificates);
    if (certificates.isEmpty()) {
      throw new IllegalArgumentException("a TLS Terminate listener needs a certificate");
    }
  }
}
