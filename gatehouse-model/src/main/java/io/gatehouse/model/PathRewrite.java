package io.gatehouse.model;

import static java.util.Objects.requireNonNull;

/** How a redirect or a URL rewrite changes the request path. */
public sealed interface PathRewrite {
  /** The whole path becomes {@code path}; the query string is kept. */
  record ReplaceFullPath(String path) implements PathRewrite {
    public ReplaceFullPath {
      requireNonNull(path, "path");
    }
  }

  /**
   * The part of the path matched by the route's {@code PathPrefix} {@code matchedPrefix} is
   * replaced by {@code replacement}, element-wise (Gateway API {@code ReplacePrefixMatch}): with
   * prefix {@code /foo} and replacement {@code /bar}, {@code /foo/x} becomes {@code /bar/x}; with
   * replacement {@code /}, {@code /foo/x} becomes {@code /x}.
   */
  record ReplacePrefixMatch(String matchedPrefix, String replacement) implements PathRewrite {
    public ReplacePrefixMatch {
      requireNonNull(matchedPrefix, "matchedPrefix");
      requireNonNull(replacement, "replacement");
    }
  }
}
