package io.gatehouse.model;

import static java.util.Objects.requireNonNull;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A set of interchangeable upstream endpoints.
 *
 * @param name {@code <kind>/<namespace>/<name>/<port>}, e.g. {@code service/default/echo/8080};
 * with {@code /h2c} appended for the h2c twin GRPCRoutes use of a port that is HTTP/1.1 otherwise
 * @param endpoints may be empty: requests then get 503 (no healthy upstream)
 * @param tls TLS to the endpoints (BackendTLSPolicy), or null for cleartext
 */
public record Cluster(String name, List<Endpoint> endpoints, UpstreamProtocol protocol,
    @Nullable UpstreamTls tls) {
  public Cluster {
    requireNonNull(name, "name");
    requireNonNull(protocol, "protocol");
    endpoints = List.copyOf(endpoints);
  }

  /** A cleartext cluster. */
  public Cluster(String name, List<Endpoint> endpoints, UpstreamProtocol protocol) {
    this(name, endpoints, protocol, null);
  }

  /** A copy with {@code tls} (null: cleartext). */
  public Cluster withTls(@Nullable UpstreamTls tls) {
    return new Cluster(name, endpoints, protocol, tls);
  }
}
