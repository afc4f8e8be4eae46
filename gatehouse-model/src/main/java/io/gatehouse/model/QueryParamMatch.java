package io.gatehouse.model;

import static java.util.Objects.requireNonNull;

/** A query parameter condition; the name is compared exactly (case-sensitive). */
public record QueryParamMatch(String name, StringMatchType type, String value) {
  public QueryParamMatch {
    requireNonNull(name, "name");
    requireNonNull(type, "type");
    requireNonNull(value, "value");
  }
}
