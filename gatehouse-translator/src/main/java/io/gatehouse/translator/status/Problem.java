package io.gatehouse.translator.status;

import static java.util.Objects.requireNonNull;

/**
 * A user mistake found while translating: the reason to report and a message naming the field path,
 * e.g. {@code spec.rules[1].backendRefs[0]: Service "foo" not found.}
 */
public record Problem(Reason reason, String message) {
  public Problem {
    requireNonNull(reason, "reason");
    requireNonNull(message, "message");
  }
}
