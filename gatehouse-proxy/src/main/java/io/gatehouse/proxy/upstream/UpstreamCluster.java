package io.gatehouse.proxy.upstream;

import static java.util.Objects.requireNonNull;

import io.gatehouse.model.Cluster;
import io.gatehouse.model.Endpoint;
import io.gatehouse.model.UpstreamProtocol;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Cluster} ready for the data path: endpoint addresses resolved once when the route table
 * is built (so no DNS lookup ever happens on an event loop) and a smooth weighted round-robin per
 * event loop.
 *
 * <p>
 * Immutable apart from the per-thread balancer state, which each event loop owns alone.
 */
public final class UpstreamCluster {
  private static final Logger log = LoggerFactory.getLogger(UpstreamCluster.class);

  private final String name;
  private final InetSocketAddress[] endpoints;
  private final int[] weights;
  private final ThreadLocal<SmoothWeightedRoundRobin> balancer;
  private final UpstreamProtocol protocol;

  private UpstreamCluster(String name, UpstreamProtocol protocol, List<InetSocketAddress> endpoints,
      int[] weights) {
    this.name = requireNonNull(name, "name");
    this.protocol = requireNonNull(protocol, "protocol");
    this.endpoints = endpoints.toArray(new InetSocketAddress[0]);
    this.weights = weights;
    this.balancer = ThreadLocal.withInitial(() -> new SmoothWeightedRoundRobin(this.weights));
  }

  /** Resolves the endpoints; one that does not resolve is left out with a warning. */
  public static UpstreamCluster of(Cluster cluster) {
    List<InetSocketAddress> addresses = new ArrayList<>();
    List<Integer> weights = new ArrayList<>();
    for (Endpoint e : cluster.endpoints()) {
      InetSocketAddress a = new InetSocketAddress(e.address(), e.port());
      if (a.isUnresolved()) {
        log.warn("Cluster {}: endpoint {} does not resolve; left out.", cluster.name(),
            e.address());
        continue;
      }
      addresses.add(a);
      weights.add(e.weight());
    }
    return new UpstreamCluster(cluster.name(), cluster.protocol(), addresses,
        weights.stream().mapToInt(Integer::intValue).toArray());
  }

  public String name() {
    return name;
  }

  /** Whether requests go over HTTP/2 cleartext streams rather than HTTP/1.1 connections. */
  public boolean isH2c() {
    return protocol == UpstreamProtocol.H2C;
  }

  /** Whether {@code endpoint} is one of this cluster's endpoints. */
  public boolean contains(InetSocketAddress endpoint) {
    for (InetSocketAddress e : endpoints) {
      if (e.equals(endpoint)) {
        return true;
      }
    }
    return false;
  }

  public boolean isEmpty() {
    return endpoints.length == 0;
  }

  /**
   * The next endpoint by smooth weighted round-robin, or null for an empty cluster. Call on an
   * event loop: the balancer state is per thread.
   */
  public @Nullable InetSocketAddress next() {
    if (endpoints.length == 0) {
      return null;
    }
    if (endpoints.length == 1) {
      return endpoints[0];
    }
    return endpoints[balancer.get().next()];
  }

  @Override
  public String toString() {
    return name;
  }
}
