package io.gatehouse.proxy.route;

import static java.util.Objects.requireNonNull;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The parts of a request that routing looks at. The query string is decoded only when a route has a
 * query parameter condition.
 *
 * <p>
 * Not thread-safe; lives for one routing decision on one event loop.
 */
public final class RouteRequest {
  private final String method;
  private final String path;
  private final String rawQuery;
  private final HttpHeaders headers;
  private @Nullable Map<String, List<String>> params;

  /**
   * @param path the request path, without the query string
   * @param rawQuery the query string without the leading {@code ?}, empty when absent
   */
  public RouteRequest(String method, String path, String rawQuery, HttpHeaders headers) {
    this.method = requireNonNull(method, "method");
    this.path = requireNonNull(path, "path");
    this.rawQuery = requireNonNull(rawQuery, "rawQuery");
    this.headers = requireNonNull(headers, "headers");
  }

  String method() {
    return method;
  }

  String path() {
    return path;
  }

  /**
   * Whether a header condition holds, on the canonical view of the header (SECURITY.md B7): the
   * condition is tested against the combined value (every field line's value joined by {@code ,},
   * RFC 9110 §5.3) and against each list element of it (split at {@code ,}, optional whitespace
   * trimmed); it holds when any of them matches. So a rule on {@code x-role: admin} sees
   * {@code admin} whether it came alone, on a second {@code x-role} line or as
   * {@code x-role: user,admin}: a deny rule cannot be dodged by splitting or joining values. False
   * when the header is absent.
   */
  boolean headerMatches(String name, ValueMatcher matcher) {
    List<String> values = headers.getAll(name);
    if (values.isEmpty()) {
      return false;
    }
    String combined = values.size() == 1 ? values.get(0) : String.join(",", values);
    if (matcher.matches(combined)) {
      return true;
    }
    for (String element : combined.split(",", -1)) {
      if (matcher.matches(element.strip())) {
        return true;
      }
    }
    return false;
  }

  /** The first value of a query parameter, or null when absent. */
  @Nullable
  String queryParam(String name) {
    if (params == null) {
      params = rawQuery.isEmpty()
          ? Map.of()
          : new QueryStringDecoder(rawQuery, StandardCharsets.UTF_8, false).parameters();
    }
    List<String> values = params.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }
}
