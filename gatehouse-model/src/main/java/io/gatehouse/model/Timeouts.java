package io.gatehouse.model;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The timeouts of an HTTPRoute rule (Gateway API {@code HTTPRouteTimeouts}). A null value means no
 * timeout ({@code 0s} in the resource disables one too).
 *
 * @param request from receiving the request head until the response is complete
 * @param backendRequest one attempt to the backend, from sending the request until the response is
 * complete; never longer than {@code request}
 */
public record Timeouts(@Nullable Duration request, @Nullable Duration backendRequest) {
  /** No timeouts. */
  public static final Timeouts NONE = new Timeouts(null, null);

  public Timeouts {
    if (request != null && !request.isPositive() || backendRequest != null
        && !backendRequest.isPositive()) {
      throw new IllegalArgumentException("timeouts must be positive or null");
    }
    if (request != null && backendRequest != null && backendRequest.compareTo(request) > 0) {
      throw new IllegalArgumentException("backendRequest must not exceed request");
    }
  }
}
