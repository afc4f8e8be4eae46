package io.gatehouse.model;

import static java.util.Objects.requireNonNull;

/**
 * A request header condition.
 *
 * @param name the header name, lower-case (header names are case-insensitive)
 */
public record HeaderMatch(String name, StringMatchType type, String value) {
  public HeaderMatch {
    requireNonNull(name, "name");
    requireNonNull(type, "type");
    requireNonNull(value, "value");
    name = name.toLowerCase(java.util.Locale.ROOT);
  }
}
