package io.gatehouse.translator.route;

import io.gatehouse.translator.status.Problem;
import io.gatehouse.translator.status.Reason;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Collects the reasons a rule cannot be served while it is translated. Translation goes on with
 * placeholders so that every problem is found in one pass; a rule with any problem is dropped.
 */
final class RuleProblems {
  private final List<Problem> problems = new ArrayList<>();

  /** Records that the value at {@code path} cannot be served. */
  void unsupported(String path, String message) {
    problems.add(new Problem(Reason.UNSUPPORTED_VALUE, path + ": " + message));
  }

  /** {@code value}, or {@code ""} after recording that it is missing. */
  String required(@Nullable String value, String path) {
    if (value == null) {
      unsupported(path, "A value is required.");
      return "";
    }
    return value;
  }

  /** The first problem, or null when the rule can be served. */
  @Nullable
  Problem first() {
    return problems.isEmpty() ? null : problems.get(0);
  }
}
