package io.gatehouse.proxy.route;

import static java.util.Objects.requireNonNull;

import io.gatehouse.model.HeaderMatch;
import io.gatehouse.model.QueryParamMatch;
import io.gatehouse.model.Retry;
import io.gatehouse.model.Route;
import io.gatehouse.model.RouteMatch;
import io.gatehouse.model.Timeouts;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One compiled {@link Route}: its match conditions with regexes precompiled, its header edits, its
 * URL rewrite, its CORS policy, its action, its timeouts, its retry policy and its request mirrors.
 * Immutable.
 */
public final class RouteEntry {
  private final String id;
  private final PathMatcher path;
  private final @Nullable String method;
  private final List<Condition> headers;
  private final List<Condition> queryParams;
  private final HeaderEdits requestEdits;
  private final HeaderEdits responseEdits;
  private final UpstreamRewrite rewrite;
  private final RouteAction action;
  private final Timeouts timeouts;
  private final @Nullable CorsPolicy cors;
  private final Retry retry;
  private final List<MirrorTarget> mirrors;

  RouteEntry(Route route, RouteAction action) {
    this(route, action, List.of());
  }

  RouteEntry(Route route, RouteAction action, List<MirrorTarget> mirrors) {
    RouteMatch m = route.match();
    this.id = route.id();
    this.path = PathMatcher.of(m.path());
    this.method = m.method();
    this.headers = m.headers().stream().map(RouteEntry::condition).toList();
    this.queryParams = m.queryParams().stream().map(RouteEntry::condition).toList();
    this.requestEdits = HeaderEdits.requestOf(route.filters());
    this.responseEdits = HeaderEdits.responseOf(route.filters());
    this.rewrite = UpstreamRewrite.of(route.filters());
    this.action = requireNonNull(action, "action");
    this.timeouts = route.timeouts();
    this.cors = CorsPolicy.of(route.filters());
    this.retry = route.retry();
    this.mirrors = List.copyOf(mirrors);
  }

  /** The model route's id, for logs and tests. */
  public String id() {
    return id;
  }

  PathMatcher path() {
    return path;
  }

  public RouteAction action() {
    return action;
  }

  /** Edits for the request forwarded upstream. */
  public HeaderEdits requestEdits() {
    return requestEdits;
  }

  /** Edits for the response sent to the client. */
  public HeaderEdits responseEdits() {
    return responseEdits;
  }

  /** The request and backend request timeouts of a forwarded request. */
  public Timeouts timeouts() {
    return timeouts;
  }

  /** The route's CORS filter, or null when it has none. */
  public @Nullable CorsPolicy cors() {
    return cors;
  }

  /** When a forwarded request is sent to the backend again. */
  public Retry retry() {
    return retry;
  }

  /** Where copies of a forwarded request go (RequestMirror filters), in filter order. */
  public List<MirrorTarget> mirrors() {
    return mirrors;
  }

  /** The URL rewrite for the request forwarded upstream. */
  public UpstreamRewrite rewrite() {
    return rewrite;
  }

  /** Cheapest checks first: path, method, then headers and query parameters. */
  boolean matches(RouteRequest request) {
    if (!path.matches(request.path())) {
      return false;
    }
    if (method != null && !method.equals(request.method())) {
      return false;
    }
    for (Condition c : headers) {
      if (!request.headerMatches(c.name, c.value)) {
        return false;
      }
    }
    for (Condition c : queryParams) {
      String v = request.queryParam(c.name);
      if (v == null || !c.value.matches(v)) {
        return false;
      }
    }
    return true;
  }

  private static Condition condition(HeaderMatch h) {
    return new Condition(h.name(), ValueMatcher.of(h.type(), h.value()));
  }

  private static Condition condition(QueryParamMatch q) {
    return new Condition(q.name(), ValueMatcher.of(q.type(), q.value()));
  }

  private record Condition(String name, ValueMatcher value) {
  }

  @Override
  public String toString() {
    return id;
  }
}
