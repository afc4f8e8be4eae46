package io.gatehouse.conformance;

import com.fasterxml.jackson.databind.JsonNode;

/** Matching of Kubernetes conditions as the suite's helpers do (README.md "Status assertions"). */
final class Conditions {
  private Conditions() {
  }

  /** Every condition carries {@code observedGeneration == generation}. */
  static boolean latest(JsonNode conditions, long generation) {
    for (JsonNode c : conditions) {
      if (c.path("observedGeneration").asLong(-1) != generation) {
        return false;
      }
    }
    return true;
  }

  /** Type and status equal, and reason absent in the expectation or equal. */
  static boolean has(JsonNode conditions, JsonNode expected) {
    for (JsonNode c : conditions) {
      if (matches(c, expected)) {
        return true;
      }
    }
    return false;
  }

  static boolean matches(JsonNode actual, JsonNode expected) {
    return actual.path("type").asText().equals(expected.path("type").asText())
        && actual.path("status").asText().equals(expected.path("status").asText())
        && (!expected.hasNonNull("reason")
            || actual.path("reason").asText().equals(expected.path("reason").asText()));
  }

  /** {@code type=status/reason} of each condition, for failure messages. */
  static String describe(JsonNode conditions) {
    StringBuilder sb = new StringBuilder("[");
    for (JsonNode c : conditions) {
      if (sb.length() > 1) {
        sb.append(", ");
      }
      sb.append(c.path("type").asText()).append('=').append(c.path("status").asText());
      if (c.hasNonNull("reason")) {
        sb.append('/').append(c.path("reason").asText());
      }
      if (c.has("observedGeneration")) {
        sb.append(" (gen ").append(c.path("observedGeneration").asText()).append(')');
      }
    }
    return sb.append(']').toString();
  }

  static String describeExpected(JsonNode c) {
    return c.path("type").asText() + "=" + c.path("status").asText()
        + (c.hasNonNull("reason") ? "/" + c.path("reason").asText() : "");
  }
}
