package io.gatehouse.proxy.upstream;

import static java.util.Objects.requireNonNull;

import io.gatehouse.model.Cluster;
import io.gatehouse.model.Endpoint;
import io.gatehouse.model.UpstreamProtocol;
import io.gatehouse.proxy.tls.UpstreamTlsContext;
import io.gatehouse.proxy.tls.UpstreamTlsContexts;
import java.security.GeneralSecurityException;
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
  private final @Nullable UpstreamTlsContext tls;
  private final boolean tlsUnusable;

  private UpstreamCluster(String name, UpstreamProtocol protocol, List<InetSocketAddress> endpoints,
      int[] weights, @Nullable UpstreamTlsContext tls, boolean tlsUnusable) {
    this.name = requireNonNull(name, "name");
    this.protocol = requireNonNull(protocol, "protocol");
    this.tls = tls;
    this.tlsUnusable = tlsUnusable;
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
    UpstreamTlsContext tls = null;
    boolean unusable = false;
    if (cluster.tls() != null) {
      try {
        tls = UpstreamTlsContexts.of(cluster.tls());
      } catch (GeneralSecurityException e) {
        // Never cleartext instead: requests to the cluster get 503 until the policy is fixed.
        if (!cluster.tls().trustsNothing()) {
          log.warn("Cluster {}: upstream TLS from {} cannot be used, requests get 503: {}",
              cluster.name(), cluster.tls().source(), e.getMessage());
        }
        unusable = true;
      }
    }
    return new UpstreamCluster(cluster.name(), cluster.protocol(), addresses,
        weights.stream().mapToInt(Integer::intValue).toArray(), tls, unusable);
  }

  /** The client TLS of every connection to this cluster, or null for cleartext. */
  public @Nullable UpstreamTlsContext tls() {
    return tls;
  }

  /**
   * Whether the cluster must be reached over TLS but its TLS settings cannot be used (an invalid
   * BackendTLSPolicy): requests then fail with 503 and no connection is opened.
   */
  public boolean tlsUnusable() {
    return tlsUnusable;
  }

  public String name() {
    return name;
  }

  /**
   * Whether requests go over HTTP/2 streams rather than HTTP/1.1 connections: an h2c cluster, in
   * cleartext, or over TLS with ALPN {@code h2} when it has {@link #tls()} (a BackendTLSPolicy on a
   * gRPC backend).
   */
  public boolean isH2c() {
    return protocol == UpstreamProtocol.H2C && !tlsUnusable;
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
