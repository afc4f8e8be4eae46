package io.gatehouse.proxy.route;

import io.gatehouse.model.Filter;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A route's CORS filter (Gateway API {@code HTTPCORSFilter}) compiled for the data path.
 *
 * <ul>
 * <li>A <em>preflight</em> ({@code OPTIONS} with {@code Origin} and
 * {@code Access-Control-Request-Method}) is answered by the gateway: 204 with the
 * {@code Access-Control-Allow-*} headers when the origin is allowed, 204 without them otherwise.
 * <li>Any other request is forwarded; when its origin is allowed the response gets
 * {@code Access-Control-Allow-Origin}, {@code -Allow-Credentials} and {@code -Expose-Headers}.
 * <li>Origins match by scheme, host and port, a missing port being the scheme's default (80, 443);
 * a {@code *.} host label matches one or more labels; {@code *} alone matches every origin.
 * <li>{@code *} is answered literally only without credentials: with credentials the origin, the
 * requested method and the requested headers are echoed instead, and exposed headers become the
 * names of the actual response's headers. An origin that is not {@code scheme://host[:port]} (e.g.
 * {@code null}) is only allowed by {@code *} without credentials.
 * <li>Every response of the route carries {@code Vary: Origin}, so that a cache never hands one
 * origin's answer to another.
 * </ul>
 *
 * <p>
 * Immutable; the per-request methods only read and write the headers they are given.
 */
public final class CorsPolicy {
  private static final String ANY = "*";
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9!#$%&'*+\\-.^_`|~]+");

  private final List<OriginPattern> origins;
  private final boolean anyOrigin;
  private final List<String> methods;
  private final List<String> allowHeaders;
  private final List<String> exposeHeaders;
  private final String maxAge;
  private final boolean credentials;

  private CorsPolicy(Filter.Cors cors) {
    this.anyOrigin = cors.allowOrigins().contains(ANY);
    this.origins = cors.allowOrigins().stream().filter(o -> !o.equals(ANY))
        .map(OriginPattern::of).toList();
    this.methods = cors.allowMethods();
    this.allowHeaders = cors.allowHeaders();
    this.exposeHeaders = cors.exposeHeaders();
    this.maxAge = Integer.toString(cors.maxAge());
    this.credentials = cors.allowCredentials();
  }

  /** The policy of the route's (at most one) {@link Filter.Cors}, or null. */
  static @Nullable CorsPolicy of(List<Filter> filters) {
    for (Filter f : filters) {
      if (f instanceof Filter.Cors c) {
        return new CorsPolicy(c);
      }
    }
    return null;
  }

  /** Whether the request is a CORS preflight, which the gateway answers itself. */
  public static boolean isPreflight(HttpMethod method, HttpHeaders headers) {
    return method.equals(HttpMethod.OPTIONS) && headers.contains(HttpHeaderNames.ORIGIN)
        && headers.contains(HttpHeaderNames.ACCESS_CONTROL_REQUEST_METHOD);
  }

  /** Writes the headers of the answer to a preflight with request headers {@code request}. */
  public void preflightHeaders(HttpHeaders request, HttpHeaders response) {
    addVary(response, "Origin");
    String allowOrigin = allowOrigin(request.get(HttpHeaderNames.ORIGIN));
    if (allowOrigin == null) {
      return;
    }
    response.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, allowOrigin);
    String method = methods.equals(List.of(ANY))
        ? echoed(request.get(HttpHeaderNames.ACCESS_CONTROL_REQUEST_METHOD))
        : joined(methods);
    setIfPresent(response, HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, method);
    String headers = allowHeaders.equals(List.of(ANY))
        ? echoed(request.get(HttpHeaderNames.ACCESS_CONTROL_REQUEST_HEADERS))
        : joined(allowHeaders);
    setIfPresent(response, HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, headers);
    if (!exposeHeaders.equals(List.of(ANY)) || !credentials) {
      setIfPresent(response, HttpHeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS, joined(exposeHeaders));
    }
    response.set(HttpHeaderNames.ACCESS_CONTROL_MAX_AGE, maxAge);
    if (credentials) {
      response.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
    }
  }

  /**
   * Adds the CORS headers to the response of an actual (non-preflight) request sent with
   * {@code origin} (null when it had none).
   */
  public void responseHeaders(@Nullable String origin, HttpHeaders response) {
    addVary(response, "Origin");
    String allowOrigin = allowOrigin(origin);
    if (allowOrigin == null) {
      return;
    }
    response.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, allowOrigin);
    if (credentials) {
      response.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
    }
    String expose = exposeHeaders.equals(List.of(ANY)) && credentials
        ? responseHeaderNames(response)
        : joined(exposeHeaders);
    setIfPresent(response, HttpHeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS, expose);
  }

  /** The {@code Access-Control-Allow-Origin} value for {@code origin}, or null if not allowed. */
  @Nullable
  String allowOrigin(@Nullable String origin) {
    if (origin == null || origin.isEmpty()) {
      return null;
    }
    OriginPattern.Parsed parsed = OriginPattern.parse(origin);
    if (anyOrigin) {
      return !credentials ? ANY : parsed == null ? null : origin;
    }
    if (parsed == null) {
      return null;
    }
    for (OriginPattern p : origins) {
      if (p.matches(parsed)) {
        return origin;
      }
    }
    return null;
  }

  /** The tokens of a request header (a method, or a header list), or null if none is valid. */
  private static @Nullable String echoed(@Nullable String value) {
    if (value == null) {
      return null;
    }
    List<String> tokens = new ArrayList<>();
    for (String part : value.split(",")) {
      String t = part.trim();
      if (TOKEN.matcher(t).matches()) {
        tokens.add(t);
      }
    }
    return joined(tokens);
  }

  private static String responseHeaderNames(HttpHeaders response) {
    List<String> names = new ArrayList<>();
    for (String name : response.names()) {
      String n = name.toLowerCase(Locale.ROOT);
      if (!n.startsWith("access-control-") && !names.contains(n)) {
        names.add(n);
      }
    }
    return joined(names);
  }

  private static @Nullable String joined(List<String> values) {
    return values.isEmpty() ? null : String.join(", ", values);
  }

  private static void setIfPresent(HttpHeaders headers, CharSequence name,
      @Nullable String value) {
    if (value != null) {
      headers.set(name, value);
    }
  }

  /** Adds {@code token} to {@code Vary} unless it is already listed there (or {@code *} is). */
  static void addVary(HttpHeaders headers, String token) {
    for (String v : headers.getAll(HttpHeaderNames.VARY)) {
      for (String part : v.split(",")) {
        String p = part.trim();
        if (p.equals(ANY) || p.equalsIgnoreCase(token)) {
          return;
        }
      }
    }
    headers.add(HttpHeaderNames.VARY, token);
  }
}
