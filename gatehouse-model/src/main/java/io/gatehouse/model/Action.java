package io.gatehouse.model;

import static java.util.Objects.requireNonNull;

import java.util.List;
import org.jspecify.annotations.Nullable;

/** What answers a matched request. */
public sealed interface Action {
  /**
   * Forward to one of the clusters, chosen at random in proportion to the weights. A share of
   * {@code invalidWeight} out of the total is answered with 500 instead: it stands for backendRefs
   * that could not be resolved, as the Gateway API requires ("requests that would have been sent to
   * an invalid backend receive a 500"). With {@code sessionPersistence}, a request carrying a valid
   * session token skips the draw and goes to its session's endpoint.
   */
  record Forward(List<WeightedCluster> clusters, int invalidWeight,
      @Nullable SessionPersistence sessionPersistence) implements Action {
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

    /** A forward without session persistence. */
    public Forward(List<WeightedCluster> clusters, int invalidWeight) {
      this(clusters, invalidWeight, null);
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

  /**
   * Answer with a redirect ({@code RequestRedirect} filter). The {@code Location} is the request's
   * URL with the given parts replaced.
   *
   * @param scheme {@code http} or {@code https}; null keeps the request's scheme
   * @param hostname null keeps the request's host (without its port)
   * @param path how to change the path; null keeps it
   * @param port null derives it: the well-known port of {@code scheme} when a scheme is set, else
   * the listener's port; a port that is the scheme's well-known one is left out of the URL
   * @param statusCode 301, 302, 303, 307 or 308
   */
  record Redirect(@Nullable String scheme, @Nullable String hostname, @Nullable PathRewrite path,
      @Nullable Integer port, int statusCode) implements Action {
    public Redirect {
      if (statusCode < 300 || statusCode > 399) {
        throw new IllegalArgumentException("not a redirect status: " + statusCode);
      }
    }
  }
}
