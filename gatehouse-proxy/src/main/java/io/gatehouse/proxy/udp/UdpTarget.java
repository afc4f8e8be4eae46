package io.gatehouse.proxy.udp;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Where the new sessions of one UDP listener go: backends with their weights (each a list of
 * resolved endpoints, weighted within the backend), and a share that stands for unresolvable
 * backendRefs. Immutable; swapped whole on reload.
 *
 * @param backends in the listener's order; a backend without endpoints still takes its share (those
 * sessions are dropped, as there is nobody to send to)
 * @param invalidWeight the share whose sessions are dropped
 */
record UdpTarget(List<Backend> backends, long invalidWeight) {
  /** One backend cluster: its weight and its endpoints, each repeated by its own weight. */
  record Backend(long weight, List<InetSocketAddress> endpoints) {
    Backend {
      endpoints = List.copyOf(endpoints);
    }
  }

  UdpTarget {
    backends = List.copyOf(backends);
  }

  static UdpTarget none() {
    return new UdpTarget(List.of(), 0);
  }

  /** Draws the endpoint of a new session, or null when the draw says drop. */
  @Nullable
  InetSocketAddress pick() {
    long total = invalidWeight;
    for (Backend b : backends) {
      total += b.weight();
    }
    if (total <= 0) {
      return null;
    }
    long draw = ThreadLocalRandom.current().nextLong(total);
    for (Backend b : backends) {
      if (draw < b.weight()) {
        List<InetSocketAddress> eps = b.endpoints();
        return eps.isEmpty() ? null : eps.get(ThreadLocalRandom.current().nextInt(eps.size()));
      }
      draw -= b.weight();
    }
    return null;
  }

  /** Every endpoint a new session could be sent to. */
  Set<InetSocketAddress> reachable() {
    return backends.stream()
        .filter(b -> b.weight() > 0)
        .flatMap(b -> b.endpoints().stream())
        .collect(Collectors.toUnmodifiableSet());
  }
}
