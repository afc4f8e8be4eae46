package io.gatehouse.proxy.route;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * One allowed origin of a CORS filter, {@code <scheme>://<host>[:<port>]} as validated by the
 * translator: the host is exact, {@code *} (any host) or {@code *.<suffix>} (one or more labels
 * before {@code .<suffix>}); a missing port is the scheme's default, so {@code https://a.com}
 * matches the origin {@code https://a.com:443} and not {@code https://a.com:8443}. Immutable.
 */
record OriginPattern(String scheme, String host, int port) {

  /** A request's {@code Origin} broken into its parts, lower-cased. */
  record Parsed(String scheme, String host, int port) {
  }

  static OriginPattern of(String pattern) {
    Parsed p = parse(pattern);
    if (p == null) {
      throw new IllegalArgumentException("not an origin: " + pattern);
    }
    return new OriginPattern(p.scheme, p.host, p.port);
  }

  boolean matches(Parsed origin) {
    if (!scheme.equals(origin.scheme) || port != origin.port) {
      return false;
    }
    if (host.equals("*")) {
      return true;
    }
    if (host.startsWith("*.")) {
      String suffix = host.substring(1); // ".bar.com"
      return origin.host.length() > suffix.length() && origin.host.endsWith(suffix)
          && origin.host.charAt(origin.host.length() - suffix.length() - 1) != '.';
    }
    return host.equals(origin.host);
  }

  /**
   * Parses {@code scheme://host[:port]} (case-insensitive; no path, user info or trailing slash),
   * or returns null, e.g. for the opaque origin {@code null}.
   */
  static @Nullable Parsed parse(String origin) {
    String o = origin.trim().toLowerCase(Locale.ROOT);
    int sep = o.indexOf("://");
    if (sep <= 0) {
      return null;
    }
    String scheme = o.substring(0, sep);
    String authority = o.substring(sep + 3);
    if (authority.isEmpty() || authority.indexOf('/') >= 0 || authority.indexOf('@') >= 0) {
      return null;
    }
    int colon = authority.startsWith("[")
        ? authority.indexOf(':', Math.max(authority.indexOf(']'), 0))
        : authority.lastIndexOf(':');
    String host = colon < 0 ? authority : authority.substring(0, colon);
    int port;
    if (colon < 0) {
      port = defaultPort(scheme);
    } else {
      port = parsePort(authority.substring(colon + 1));
    }
    return host.isEmpty() || port < 0 ? null : new Parsed(scheme, host, port);
  }

  private static int defaultPort(String scheme) {
    return switch (scheme) {
      case "http" -> 80;
      case "https" -> 443;
      default -> 0;
    };
  }

  private static int parsePort(String digits) {
    if (digits.isEmpty() || digits.length() > 5 || !digits.chars().allMatch(Character::isDigit)) {
      return -1;
    }
    int p = Integer.parseInt(digits);
    return p >= 1 && p <= 65535 ? p : -1;
  }
}
