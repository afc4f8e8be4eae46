package io.gatehouse.model;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A set of interchangeable upstream endpoints.
 *
 * @param name {@code <kind>/<namespace>/<name>/<port>}, e.g. {@code service/default/echo/8080}
 * @param endpoints may be empty: requests then get 503 (no healthy upstream)
 */
public record Cluster(String name, List<Endpoint> endpoints, UpstreamProtocol protocol) {
  public Cluster {
    requireNonNull(name, "name");
    requireNonNull(protocol, "protocol");
    endpoints = List.copyOf(endpoints);
  }
}
