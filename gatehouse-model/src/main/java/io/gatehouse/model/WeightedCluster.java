package io.gatehouse.model;

import static java.util.Objects.requireNonNull;

/** A cluster name with its relative weight; weight 0 takes no traffic. */
public record WeightedCluster(String cluster, int weight) {
  public WeightedCluster {
    requireNonNull(cluster, "cluster");
    if (weight < 0) {
      throw new IllegalArgumentException("weight < 0");
    }
  }
}
