package io.gatehouse.model;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * Where the connections of one TCPRoute or TLSRoute go: a backend per connection, chosen by weight.
 * A connection whose pick falls on {@code rejectedWeight} (the share of backendRefs that could not
 * be resolved) or on a cluster without endpoints is closed, as is every connection when the total
 * weight is 0.
 *
 * @param name {@code namespace/name} of the route, for logs
 * @param hostnames the SNI names it serves (TLSRoute): lower-case exact names or {@code *.}
 * wildcards, or {@code *} for any; {@code [*]} for a TCPRoute
 * @param backends the resolved backendRefs with their weights, in spec order
 * @param rejectedWeight the summed weight of the backendRefs that could not be resolved
 */
public record L4Route(String name, List<String> hostnames, List<WeightedCluster> backends,
    int rejectedWeight) {
  public L4Route {
    requireNonNull(name, "name");
    hostnames = List.copyOf(hostnames);
    backends = List.copyOf(backends);
    if (rejectedWeight < 0) {
      throw new IllegalArgumentException("rejectedWeight < 0");
    }
    if (hostnames.isEmpty()) {
      throw new IllegalArgumentException("a route needs at least one hostname");
    }
  }
}
