package io.gatehouse.model;

import static java.util.Objects.requireNonNull;

/** How a request path is matched. Paths are compared after the proxy canonicalises them. */
public sealed interface PathMatch {
  /** The path value as written. */
  String value();

  /** The whole path equals {@code value}. */
  record Exact(String value) implements PathMatch {
    public Exact {
      requireAbsolute(value);
    }
  }

  /**
   * The path starts with {@code value} element-wise: {@code /foo} matches {@code /foo} and {@code
   * /foo/bar} but not {@code /foobar}. A trailing slash in {@code value} is ignored.
   */
  record Prefix(String value) implements PathMatch {
    public Prefix {
      requireAbsolute(value);
    }
  }

  /** The whole path matches the regular expression (java.util.regex syntax). */
  record Regex(String value) implements PathMatch {
    public Regex {
      requireNonNull(value, "value");
    }
  }

  private static void requireAbsolute(String value) {
    requireNonNull(value, "value");
    if (!value.startsWith("/")) {
      throw new IllegalArgumentException("path must start with '/': " + value);
    }
  }
}
