package io.gatehouse.model;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything the proxy needs to serve one Gateway: its bound listeners and the upstream clusters
 * their routes forward to.
 *
 * @param gateway the Gateway this was translated from
 * @param generation the Gateway's {@code metadata.generation} at translation time
 * @param listeners one entry per bound socket (address and port), sorted by port
 * @param clusters every cluster a route of this Gateway refers to, by {@link Cluster#name()}
 */
public record GatewayConfig(
    GatewayRef gateway, long generation, List<Listener> listeners, Map<String, Cluster> clusters) {
  public GatewayConfig {
    requireNonNull(gateway, "gateway");
    listeners = List.copyOf(listeners);
    clusters = java.util.Collections.unmodifiableMap(new TreeMap<>(clusters));
  }
}
