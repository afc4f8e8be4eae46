package io.gatehouse.model;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A cluster name with its relative weight; weight 0 takes no traffic.
 *
 * @param filters applied only to requests sent to this cluster (Gateway API {@code
 * HTTPBackendRef.filters}), after the route's own: {@link Filter.RequestHeaderModifier},
 * {@link Filter.ResponseHeaderModifier}, {@link Filter.UrlRewrite}, or a
 * {@link Filter.RequestRedirect}, which answers instead of forwarding
 */
public record WeightedCluster(String cluster, int weight, List<Filter> filters) {
  public WeightedCluster {
    requireNonNull(cluster, "cluster");
    if (weight < 0) {
      throw new IllegalArgumentException("weight < 0");
    }
    filters = List.copyOf(filters);
    for (Filter f : filters) {
      if (f instanceof Filter.Cors) {
        throw new IllegalArgumentException("a CORS filter belongs to the route, not a backend");
      }
    }
  }

  /** A cluster without backend filters. */
  public WeightedCluster(String cluster, int weight) {
    this(cluster, weight, List.of());
  }
}
