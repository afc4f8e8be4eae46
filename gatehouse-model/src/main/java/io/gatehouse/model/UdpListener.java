package io.gatehouse.model;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A UDP listener (Gateway listener protocol {@code UDP}, UDPRoute). Every datagram from a new
 * client address and port starts a session with one backend, drawn in proportion to the weights;
 * the session's later datagrams and the backend's replies follow it until it has been idle for the
 * proxy's session timeout.
 *
 * @param route {@code namespace/name} of the UDPRoute that carries the traffic (the oldest of those
 * attached), or empty when none is attached: datagrams are then dropped
 * @param backends the clusters of that route's rule; weight 0 takes no new session
 * @param invalidWeight the share of new sessions that stands for backendRefs that could not be
 * resolved: their datagrams are dropped
 */
public record UdpListener(String name, String address, int port, String route,
    List<WeightedCluster> backends, int invalidWeight) implements Listener {
  public UdpListener {
    requireNonNull(name, "name");
    requireNonNull(address, "address");
    requireNonNull(route, "route");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    if (invalidWeight < 0) {
      throw new IllegalArgumentException("invalidWeight < 0");
    }
    backends = List.copyOf(backends);
    for (WeightedCluster c : backends) {
      if (!c.filters().isEmpty()) {
        throw new IllegalArgumentException("a UDP backend has no filters");
      }
    }
  }

  /** The sum of every weight, the invalid share included. */
  public long totalWeight() {
    return invalidWeight + backends.stream().mapToLong(WeightedCluster::weight).sum();
  }
}
