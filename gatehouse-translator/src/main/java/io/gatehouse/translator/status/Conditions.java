package io.gatehouse.translator.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import org.jspecify.annotations.Nullable;

/**
 * Builds fabric8 {@link Condition}s. No {@code lastTransitionTime}: the status sink owns time.
 */
public final class Conditions {
  private Conditions() {
  }

  /** A condition of {@code type} with the given truth, reason and message. */
  public static Condition of(ConditionType type, boolean status, Reason reason, String message,
      @Nullable Long generation) {
    return new ConditionBuilder().withType(type.value())
        .withStatus(status ? "True" : "False")
        .withReason(reason.value())
        .withMessage(message)
        .withObservedGeneration(generation)
        .build();
  }
}
