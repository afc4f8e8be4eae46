package io.gatehouse.translator.backend;

import static java.util.Objects.requireNonNull;

import io.gatehouse.model.Cluster;
import io.gatehouse.translator.status.Problem;

/** What one backendRef resolved to: a cluster with its weight, or a problem with its weight. */
public sealed interface BackendResolution {
  /** The weight the backendRef asked for (default 1). */
  int weight();

  /** The reference resolved to {@code cluster}. */
  record Valid(Cluster cluster, int weight) implements BackendResolution {
    public Valid {
      requireNonNull(cluster, "cluster");
    }
  }

  /** The reference could not be resolved; its share of traffic is answered with 500. */
  record Invalid(Problem problem, int weight) implements BackendResolution {
    public Invalid {
      requireNonNull(problem, "problem");
    }
  }
}
