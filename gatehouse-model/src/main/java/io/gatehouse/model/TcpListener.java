package io.gatehouse.model;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * A plain TCP listener (Gateway API protocol {@code TCP}): every accepted connection is relayed to
 * a backend of {@code route}, opened as soon as the client connects (the server may speak first).
 * Several TCPRoutes may attach to one listener; only the oldest carries traffic.
 *
 * @param route the route that carries traffic, or null when none is attached (connections are then
 * closed at once)
 */
public record TcpListener(String name, String address, int port, @Nullable L4Route route)
    implements
      Listener {
  public TcpListener {
    requireNonNull(name, "name");
    requireNonNull(address, "address");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
  }
}
