package io.gatehouse.standalone.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * Sets {@code lastTransitionTime} on every condition of a status tree, as the Kubernetes API
 * conventions ask: a condition whose {@code status} is unchanged keeps the time of the previous
 * status; a new condition or a changed {@code status} gets the current time. A change of reason or
 * message alone is not a transition.
 *
 * <p>
 * Conditions are found at any depth ({@code status.conditions},
 * {@code status.listeners[].conditions}, {@code status.parents[].conditions},
 * {@code status.ancestors[].conditions}). To find the previous version of a list element, elements
 * are matched by {@code name} (listeners), by {@code parentRef}/{@code ancestorRef} plus
 * {@code controllerName} (route parents, policy ancestors), else by position; conditions are
 * matched by {@code type}.
 */
final class TransitionTimes {
  private static final List<String> IDENTITY_FIELDS = List.of("name", "parentRef", "ancestorRef");

  private TransitionTimes() {
  }

  /** Stamps {@code next} in place; {@code previous} (may be null) is only read. */
  static void stamp(JsonNode previous, JsonNode next, String now) {
    if (next.isObject()) {
      for (Map.Entry<String, JsonNode> e : next.properties()) {
        JsonNode before = previous == null ? null : previous.get(e.getKey());
        if (e.getKey().equals("conditions") && e.getValue().isArray()) {
          stampConditions(before, e.getValue(), now);
        } else {
          stamp(before, e.getValue(), now);
        }
      }
    } else if (next.isArray()) {
      for (int i = 0; i < next.size(); i++) {
        stamp(find(previous, identity(next.get(i), i)), next.get(i), now);
      }
    }
  }

  private static void stampConditions(JsonNode previous, JsonNode conditions, String now) {
    for (JsonNode c : conditions) {
      if (c instanceof ObjectNode condition) {
        JsonNode old = find(previous, condition.path("type"));
        boolean same = old != null && old.path("status").equals(condition.path("status"))
            && old.hasNonNull("lastTransitionTime");
        condition.put("lastTransitionTime", same ? old.get("lastTransitionTime").asText() : now);
      }
    }
  }

  /** What identifies a list element across versions of a status. */
  private static JsonNode identity(JsonNode element, int index) {
    if (element.isObject()) {
      for (String field : IDENTITY_FIELDS) {
        if (element.has(field)) {
          ObjectNode id = ((ObjectNode) element).objectNode();
          id.set(field, element.get(field));
          id.set("controllerName", element.get("controllerName"));
          return id;
        }
      }
    }
    return IntNode.valueOf(index);
  }

  private static JsonNode find(JsonNode previous, JsonNode identity) {
    if (previous == null || !previous.isArray()) {
      return null;
    }
    if (identity instanceof IntNode i) {
      return previous.get(i.intValue());
    }
    for (int i = 0; i < previous.size(); i++) {
      JsonNode candidate = previous.get(i);
      JsonNode id = identity.isTextual() ? candidate.path("type") : identity(candidate, i);
      if (id.equals(identity)) {
        return candidate;
      }
    }
    return null;
  }
}
