package io.gatehouse.model;

import static java.util.Objects.requireNonNull;

/** A header name and value, as written in configuration. */
public record Header(String name, String value) {
  public Header {
    requireNonNull(name, "name");
    requireNonNull(value, "value");
  }
}
