package io.gatehouse.proxy.l4;

import io.gatehouse.model.Cluster;
import io.gatehouse.model.L4Route;
import io.gatehouse.model.WeightedCluster;
import io.gatehouse.proxy.tls.SniMapping;
import io.gatehouse.proxy.upstream.UpstreamCluster;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The routes of one L4 listener: for TCP the single route that carries traffic, for TLS the routes
 * by SNI name (exact, then the longest wildcard, then {@code *}). Built once per {@code apply} (the
 * endpoints are resolved then, never on an event loop) and swapped whole; each connection reads it
 * once. Immutable and thread-safe.
 */
public final class L4Table {
  private final @Nullable L4Target only;
  private final SniMapping<L4Target> bySni;

  private L4Table(@Nullable L4Target only, SniMapping<L4Target> bySni) {
    this.only = only;
    this.bySni = bySni;
  }

  /** The table of a TCP listener; {@code route} null: every connection is closed. */
  public static L4Table tcp(@Nullable L4Route route, Map<String, Cluster> clusters) {
    return new L4Table(route == null ? null : target(route, clusters, new HashMap<>(), false),
        SniMapping.empty());
  }

  /** The table of a TLS listener. */
  public static L4Table tls(List<L4Route> routes, Map<String, Cluster> clusters) {
    return mixed(routes, List.of(), clusters);
  }

  /**
   * The table of a mixed TLS port: one SNI mapping over the routes of both modes (their hostnames
   * are disjoint), each target knowing whether its connections are terminated.
   */
  public static L4Table mixed(List<L4Route> passthrough, List<L4Route> terminate,
      Map<String, Cluster> clusters) {
    Map<String, UpstreamCluster> resolved = new HashMap<>();
    SniMapping.Builder<L4Target> sni = new SniMapping.Builder<>();
    for (L4Route r : passthrough) {
      L4Target t = target(r, clusters, resolved, false);
      r.hostnames().forEach(h -> sni.add(h, t));
    }
    for (L4Route r : terminate) {
      L4Target t = target(r, clusters, resolved, true);
      r.hostnames().forEach(h -> sni.add(h, t));
    }
    return new L4Table(null, sni.build());
  }

  /** The route of a TCP listener, or null when it has none. */
  @Nullable
  L4Target only() {
    return only;
  }

  /**
   * The route serving {@code serverName}; null when none does or when the client sent no SNI (a TLS
   * listener routes by name only, so a nameless connection is refused).
   */
  @Nullable
  L4Target select(@Nullable String serverName) {
    return serverName == null || serverName.isEmpty() ? null : bySni.select(serverName);
  }

  private static L4Target target(L4Route route, Map<String, Cluster> clusters,
      Map<String, UpstreamCluster> resolved, boolean terminate) {
    List<UpstreamCluster> ups = new ArrayList<>();
    List<Integer> weights = new ArrayList<>();
    int rejected = route.rejectedWeight();
    for (WeightedCluster wc : route.backends()) {
      Cluster c = clusters.get(wc.cluster());
      if (c == null) {
        rejected += wc.weight(); // not in the configuration: refused like an unresolved ref
        continue;
      }
      ups.add(resolved.computeIfAbsent(c.name(), n -> UpstreamCluster.of(c)));
      weights.add(wc.weight());
    }
    return new L4Target(route.name(), ups, weights.stream().mapToInt(Integer::intValue).toArray(),
        rejected, terminate);
  }
}
