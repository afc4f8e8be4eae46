package io.gatehouse.proxy.route;

import io.gatehouse.model.Action;
import io.gatehouse.model.PathRewrite;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Builds the {@code Location} of a {@code RequestRedirect} filter (Gateway API
 * {@code HTTPRequestRedirectFilter}): the request's URL with the configured parts replaced.
 *
 * <ul>
 * <li>scheme: the configured one, else the request's ({@code https} on an HTTPS listener);
 * <li>host: the configured hostname, else the request's {@code Host} without its port;
 * <li>port: the configured one; else, when a scheme is configured, that scheme's well-known port
 * (80/443); else the listener's port as written in the Gateway. The port is left out when it is the
 * well-known port of the resulting scheme;
 * <li>path: replaced whole, or its matched prefix replaced element-wise, else kept; the query
 * string is always kept.
 * </ul>
 *
 * <p>
 * Immutable. Characters that may not appear in a URL path or query are percent-encoded, so a
 * {@code Location} never carries raw control characters or spaces (SECURITY.md B2).
 */
public final class RedirectLocation {
  private final @Nullable String scheme;
  private final @Nullable String hostname;
  private final @Nullable PathRewrite path;
  private final @Nullable Integer port;

  RedirectLocation(Action.Redirect redirect) {
    this.scheme = redirect.scheme() == null ? null : redirect.scheme().toLowerCase(Locale.ROOT);
    this.hostname = redirect.hostname();
    this.path = redirect.path();
    this.port = redirect.port();
  }

  /**
   * The {@code Location} for one request, or null when the request gives no usable host (no
   * {@code Host} header and no configured hostname, or a {@code Host} with characters not allowed
   * in a URL authority).
   *
   * @param requestScheme {@code http} or {@code https}: how the request reached the listener
   * @param authority the request's {@code Host} header, or null
   * @param requestPath the request path as received, without the query string
   * @param rawQuery the query string without {@code ?}, empty when absent
   * @param listenerPort the listener's port as written in the Gateway (before any port offset)
   */
  public @Nullable String of(String requestScheme, @Nullable String authority, String requestPath,
      String rawQuery, int listenerPort) {
    String host = hostname != null ? hostname : hostWithoutPort(authority);
    if (host == null || host.isEmpty() || !isAuthority(host)) {
      return null;
    }
    String s = scheme != null ? scheme : requestScheme;
    int p = port != null
        ? port
        : scheme != null ? wellKnownPort(scheme, listenerPort) : listenerPort;
    StringBuilder url = new StringBuilder(s).append("://").append(host);
    if (p != wellKnownPort(s, -1)) {
      url.append(':').append(p);
    }
    encode(rewrite(requestPath), url, "/");
    if (!rawQuery.isEmpty()) {
      encode(rawQuery, url.append('?'), "/?");
    }
    return url.toString();
  }

  private String rewrite(String requestPath) {
    return rewritePath(path, requestPath);
  }

  /** {@code requestPath} changed by {@code rewrite} (kept as it is when that is null). */
  static String rewritePath(@Nullable PathRewrite rewrite, String requestPath) {
    return switch (rewrite) {
      case null -> requestPath;
      case PathRewrite.ReplaceFullPath full -> full.path();
      case PathRewrite.ReplacePrefixMatch prefix -> replacePrefix(requestPath,
          prefix.matchedPrefix(), prefix.replacement());
    };
  }

  /**
   * Element-wise prefix replacement, per the table in the Gateway API's {@code HTTPPathModifier}:
   * trailing slashes of the prefix and the replacement do not count, and an empty result is
   * {@code /}. A path the prefix does not match (a route that is not a PathPrefix match) is kept.
   */
  static String replacePrefix(String requestPath, String matchedPrefix, String replacement) {
    String prefix = trimTrailingSlashes(matchedPrefix);
    boolean matches = requestPath.startsWith(prefix) && (requestPath.length() == prefix.length()
        || requestPath.charAt(prefix.length()) == '/');
    if (!matches) {
      return requestPath;
    }
    String result = trimTrailingSlashes(replacement) + requestPath.substring(prefix.length());
    return result.isEmpty() ? "/" : result;
  }

  private static String trimTrailingSlashes(String s) {
    int end = s.length();
    while (end > 0 && s.charAt(end - 1) == '/') {
      end--;
    }
    return s.substring(0, end);
  }

  /** {@code Host} without its port; an IPv6 literal keeps its brackets. */
  private static @Nullable String hostWithoutPort(@Nullable String authority) {
    if (authority == null) {
      return null;
    }
    String h = authority.trim();
    if (h.startsWith("[")) {
      int close = h.indexOf(']');
      return close < 0 ? null : h.substring(0, close + 1);
    }
    int colon = h.indexOf(':');
    return colon < 0 ? h : h.substring(0, colon);
  }

  private static int wellKnownPort(String scheme, int otherwise) {
    return switch (scheme) {
      case "http" -> 80;
      case "https" -> 443;
      default -> otherwise;
    };
  }

  /** RFC 3986 host: reg-name characters (unreserved, sub-delims, pct-encoded) or an IP literal. */
  private static boolean isAuthority(String host) {
    for (int i = 0; i < host.length(); i++) {
      char c = host.charAt(i);
      if (!(isUnreserved(c) || "!$&'()*+,;=%:[]".indexOf(c) >= 0)) {
        return false;
      }
    }
    return true;
  }

  private static boolean isUnreserved(char c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-'
        || c == '.' || c == '_' || c == '~';
  }

  /**
   * Appends {@code s}, percent-encoding every character that is not allowed in a path or query
   * (pchar plus {@code extra}); existing {@code %XX} escapes are kept as they are.
   */
  private static void encode(String s, StringBuilder out, String extra) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (isUnreserved(c) || "!$&'()*+,;=:@%".indexOf(c) >= 0 || extra.indexOf(c) >= 0) {
        out.append(c);
      } else {
        int end = Character.isHighSurrogate(c) && i + 1 < s.length() ? i + 2 : i + 1;
        for (byte b : s.substring(i, end).getBytes(StandardCharsets.UTF_8)) {
          out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xF, 16)))
              .append(Character.toUpperCase(Character.forDigit(b & 0xF, 16)));
        }
        i = end - 1;
      }
    }
  }
}
