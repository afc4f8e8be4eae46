package io.gatehouse.model;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A TLS port with listeners of both modes (Gateway API {@code TLSRouteModeMixed}): the proxy reads
 * the client's ClientHello for its SNI without terminating TLS and picks the route serving that
 * name among both lists (exact first, then the longest wildcard, then {@code *}). A
 * {@code passthroughRoutes} route relays the connection unchanged, as on a
 * {@link TlsPassthroughListener}; a {@code terminateRoutes} route completes the handshake with the
 * certificate chosen by SNI and relays the decrypted bytes, as on a {@link TlsTerminateListener}. A
 * connection without SNI or with a name no route serves is closed without a TLS alert.
 *
 * @param passthroughRoutes hostnames unique across both route lists
 * @param terminateRoutes hostnames unique across both route lists
 * @param certificates those of the Terminate listeners, at least one; SNI names unique across them
 */
public record TlsMixedListener(String name, String address, int port,
    List<L4Route> passthroughRoutes, List<L4Route> terminateRoutes,
    List<ServerCertificate> certificates)
    implements
      Listener {
  public TlsMixedListener {
    requireNonNull(name, "name");
    requireNonNull(address, "address");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    passthroughRoutes = List.copyOf(passthroughRoutes);
    terminateRoutes = List.copyOf(terminateRoutes);
    certificates = List.copyOf(certificates);
    if (certificates.isEmpty()) {
      throw new IllegalArgumentException(
          "a TLS listener with Terminate routes needs a certificate");
    }
  }
}
