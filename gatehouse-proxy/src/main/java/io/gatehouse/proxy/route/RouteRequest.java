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

  /** All values of a header joined by {@code ,} (RFC 9110 §5.3), or null when absent. */
  @Nullable
  String header(String name) {
    List<String> values = headers.getAll(name);
    if (values.isEmpty()) {
      return null;
    }
    return values.size() == 1 ? values.get(0) : String.join(",", values);
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
