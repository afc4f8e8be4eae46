package io.gatehouse.model;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A TLS listener in mode {@code Passthrough}: the proxy reads the client's ClientHello for its SNI
 * without terminating TLS, picks the route serving that name (exact first, then the longest
 * wildcard, then {@code *}) and relays the connection, ClientHello included, unchanged. A
 * connection without SNI or with a name no route serves is closed without a TLS alert.
 *
 * @param routes hostnames unique across them
 */
public record TlsPassthroughListener(String name, String address, int port, List<L4Route> routes)
    implements
      Listener {
  public TlsPassthroughListener {
    requireNonNull(name, "name");
    requireNonNull(address, "address");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    routes = List.copyOf(routes);
  }
}
