package io.gatehouse.model;

import static java.util.Objects.requireNonNull;

import java.util.List;

/** What answers a matched request. */
public sealed interface Action {
  /**
   * Forward to one of the clusters, chosen at random in proportion to the weights. A share of
   * {@code invalidWeight} out of the total is answered with 500 instead: it stands for backendRefs
   * that could not be resolved, as the Gateway API requires ("requests that would have been sent to
   * an invalid backend receive a 500").
   */
  record Forward(List<WeightedCluster> clusters, int invalidWeight) implements Action {
    public Forward {
      clusters = List.copyOf(clusters);
      if (invalidWeight < 0) {
        throw new IllegalArgumentException("invalidWeight < 0");
      }
      long total = invalidWeight;
      for (WeightedCluster c : clusters) {
        total += c.weight();
      }
      if (total <= 0) {
        throw new IllegalArgumentException("a Forward needs a positive total weight");
      }
    }
  }

  /**
   * Answer directly with a status and a short text body, e.g. 500 for a rule with no valid backend.
   */
  record DirectResponse(int status, String body) implements Action {
    public DirectResponse {
      if (status < 100 || status > 599) {
        throw new IllegalArgumentException("status out of range: " + status);
      }
      requireNonNull(body, "body");
    }
  }
}
