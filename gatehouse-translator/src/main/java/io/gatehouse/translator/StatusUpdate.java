package io.gatehouse.translator;

import static java.util.Objects.requireNonNull;

/**
 * The status the translator computed for one object.
 *
 * @param object the object the status belongs to
 * @param status the fabric8 status type of that kind ({@code GatewayClassStatus}, {@code
 *     GatewayStatus}, {@code HTTPRouteStatus}); conditions carry {@code observedGeneration} but no
 * {@code lastTransitionTime}: the status sink owns time
 */
public record StatusUpdate(ObjectRef object, Object status) {
  public StatusUpdate {
    requireNonNull(object, "object");
    requireNonNull(status, "status");
  }
}
