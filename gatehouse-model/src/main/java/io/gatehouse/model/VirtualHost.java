package io.gatehouse.model;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A set of hostnames and the routes that serve them.
 *
 * @param hostnames lower-case exact names ({@code foo.example.com}), wildcards ({@code
 *     *.example.com}, matching one or more labels in front of the suffix), or {@code *} for any
 * host
 * @param routes in Gateway API precedence order: the first route whose match accepts a request
 * serves it
 */
public record VirtualHost(List<String> hostnames, List<Route> routes) {
  public VirtualHost {
    hostnames = List.copyOf(hostnames);
    routes = List.copyOf(routes);
    if (hostnames.isEmpty()) {
      throw new IllegalArgumentException("a virtual host needs at least one hostname");
    }
    for (String h : hostnames) {
      requireNonNull(h, "hostname");
    }
  }
}
