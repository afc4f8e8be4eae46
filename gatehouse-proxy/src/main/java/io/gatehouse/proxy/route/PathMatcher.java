package io.gatehouse.proxy.route;

import io.gatehouse.model.PathMatch;
import java.util.regex.Pattern;

/** A compiled {@link PathMatch}: tests a request path (without its query string). */
sealed interface PathMatcher {

  boolean matches(String path);

  static PathMatcher of(PathMatch match) {
    return switch (match) {
      case PathMatch.Exact e -> new Exact(e.value());
      case PathMatch.Prefix p -> new Prefix(trimTrailingSlash(p.value()));
      case PathMatch.Regex r -> new Regex(Pattern.compile(r.value()));
    };
  }

  private static String trimTrailingSlash(String value) {
    int end = value.length();
    while (end > 0 && value.charAt(end - 1) == '/') {
      end--;
    }
    return value.substring(0, end);
  }

  record Exact(String value) implements PathMatcher {
    @Override
    public boolean matches(String path) {
      return path.equals(value);
    }
  }

  /**
   * Element-wise prefix; {@code prefix} has no trailing slash, so {@code ""} (from {@code "/"})
   * matches every absolute path.
   */
  record Prefix(String prefix) implements PathMatcher {
    @Override
    public boolean matches(String path) {
      if (!path.startsWith(prefix)) {
        return false;
      }
      int n = prefix.length();
      return prefix.isEmpty() ? path.startsWith("/") : path.length() == n || path.charAt(n) == '/';
    }
  }

  record Regex(Pattern pattern) implements PathMatcher {
    @Override
    public boolean matches(String path) {
      return pattern.matcher(path).matches();
    }
  }
}
