package io.gatehouse.translator.route;

import io.gatehouse.translator.status.Problem;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of one parentRef: the listeners the route attaches to, or why it attaches to none.
 *
 * @param rejection why Accepted is False, or null when {@code listeners} is not empty
 */
record ParentResult(List<Attachment> listeners, @Nullable Problem rejection) {
  ParentResult {
    listeners = List.copyOf(listeners);
  }

  static ParentResult rejected(Problem problem) {
    return new ParentResult(List.of(), problem);
  }
}
