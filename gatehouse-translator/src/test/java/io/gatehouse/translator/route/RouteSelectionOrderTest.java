package io.gatehouse.translator.route;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.model.Action;
import io.gatehouse.model.HeaderMatch;
import io.gatehouse.model.PathMatch;
import io.gatehouse.model.QueryParamMatch;
import io.gatehouse.model.Route;
import io.gatehouse.model.RouteMatch;
import io.gatehouse.model.StringMatchType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * SECURITY.md C11: the route a request selects follows the Gateway API precedence rules and does
 * not depend on the order in which routes were listed. About 30 routes from several HTTPRoutes are
 * shuffled 100 times (fixed seed); each time the sorted order must be the same and every request of
 * the table must select its expected route, the first in order whose conditions all hold (as the
 * proxy's route table selects).
 */
class RouteSelectionOrderTest {
  private static final String T1 = "2026-01-01T00:00:00Z";
  private static final String T2 = "2026-02-01T00:00:00Z";

  private static final List<RankedRoute> ROUTES = List.of(
      ranked("exact-a", exact("/a"), T2, "ns/r1"),
      ranked("exact-a-old", exact("/a"), T1, "ns/r9"),
      ranked("regex-items", match(new PathMatch.Regex("/items/[0-9]+"), null, 0, 0), T1, "ns/r2"),
      ranked("regex-long", match(new PathMatch.Regex("/items/[0-9]+/x"), null, 0, 0), T2,
          "ns/r2"),
      ranked("prefix-root", prefix("/"), T1, "ns/r3"),
      ranked("prefix-items", prefix("/items"), T1, "ns/r3"),
      ranked("prefix-api", prefix("/api"), T1, "ns/r4"),
      ranked("prefix-api-v1", prefix("/api/v1"), T2, "ns/r4"),
      ranked("api-post", match(new PathMatch.Prefix("/api"), "POST", 0, 0), T2, "ns/r5"),
      ranked("api-header", match(new PathMatch.Prefix("/api"), null, 1, 0), T1, "ns/r5"),
      ranked("api-two-headers", match(new PathMatch.Prefix("/api"), null, 2, 0), T2, "ns/r6"),
      ranked("api-query", match(new PathMatch.Prefix("/api"), null, 0, 1), T1, "ns/r6"),
      ranked("api-header-query", match(new PathMatch.Prefix("/api"), null, 1, 1), T2, "ns/r7"),
      ranked("tie-old", prefix("/tie"), T1, "zz/late-name"),
      ranked("tie-new", prefix("/tie"), T2, "aa/early-name"),
      ranked("tie-name-b", prefix("/name"), T1, "ns/b"),
      ranked("tie-name-a", prefix("/name"), T1, "ns/a"),
      ranked("tie-unknown-time", prefix("/name"), null, "aa/first"),
      ranked("web-prefix", prefix("/web/"), T1, "ns/r8"),
      ranked("web-exact", exact("/web"), T2, "ns/r8"),
      ranked("get-root", match(new PathMatch.Prefix("/"), "GET", 0, 0), T2, "ns/r10"),
      new RankedRoute(route("rule0", prefix("/rules")), T1, "ns/rules", 0, 1),
      new RankedRoute(route("rule1", prefix("/rules")), T1, "ns/rules", 1, 0),
      new RankedRoute(route("rule0-match0", prefix("/rules")), T1, "ns/rules", 0, 0));

  private record Request(String method, String path, Map<String, String> headers,
      Map<String, String> query, String expected) {
  }

  private static final Map<String, String> NONE = Map.of();
  private static final Map<String, String> H1 = Map.of("x-h1", "1");
  private static final Map<String, String> H2 = Map.of("x-h1", "1", "x-h2", "1");
  private static final Map<String, String> Q1 = Map.of("q1", "1");

  private static final List<Request> REQUESTS = List.of(
      new Request("GET", "/a", NONE, NONE, "exact-a-old"),
      new Request("PUT", "/a", NONE, NONE, "exact-a-old"),
      new Request("PUT", "/a/b", NONE, NONE, "prefix-root"),
      new Request("GET", "/a/b", NONE, NONE, "get-root"),
      new Request("PUT", "/items/42", NONE, NONE, "regex-items"),
      new Request("PUT", "/items/42/x", NONE, NONE, "regex-long"),
      new Request("PUT", "/items/abc", NONE, NONE, "prefix-items"),
      new Request("PUT", "/itemsx", NONE, NONE, "prefix-root"),
      new Request("PUT", "/api", NONE, NONE, "prefix-api"),
      new Request("POST", "/api/x", H2, Q1, "api-post"),
      new Request("PUT", "/api/x", H2, Q1, "api-two-headers"),
      new Request("PUT", "/api/x", H1, Q1, "api-header-query"),
      new Request("PUT", "/api/x", H1, NONE, "api-header"),
      new Request("PUT", "/api/x", NONE, Q1, "api-query"),
      new Request("PUT", "/api/v1/x", H2, Q1, "prefix-api-v1"),
      new Request("PUT", "/api/v10", NONE, NONE, "prefix-api"),
      new Request("PUT", "/tie/x", NONE, NONE, "tie-old"),
      new Request("PUT", "/name", NONE, NONE, "tie-name-a"),
      new Request("PUT", "/web", NONE, NONE, "web-exact"),
      new Request("PUT", "/web/", NONE, NONE, "web-prefix"),
      new Request("PUT", "/web/x", NONE, NONE, "web-prefix"),
      new Request("PUT", "/webx", NONE, NONE, "prefix-root"),
      new Request("PUT", "/rules/x", NONE, NONE, "rule0-match0"),
      new Request("GET", "/rules", NONE, NONE, "rule0-match0"),
      new Request("GET", "/", NONE, NONE, "get-root"),
      new Request("DELETE", "/", NONE, NONE, "prefix-root"),
      new Request("PUT", "/API", NONE, NONE, "prefix-root"),
      new Request("POST", "/api/v1", NONE, NONE, "prefix-api-v1"),
      new Request("PUT", "/items/7/x/y", NONE, NONE, "prefix-items"),
      new Request("GET", "/tie", NONE, NONE, "tie-old"));

  @Test
  void selectionIsTheSameForEveryInsertionOrder() {
    Random random = new Random(20261126);
    List<String> reference = null;
    for (int i = 0; i < 100; i++) {
      List<RankedRoute> shuffled = new ArrayList<>(ROUTES);
      Collections.shuffle(shuffled, random);
      List<Route> ordered = shuffled.stream().sorted(Precedence.ORDER).map(RankedRoute::route)
          .toList();
      List<String> ids = ordered.stream().map(Route::id).toList();
      if (reference == null) {
        reference = ids;
      }
      assertThat(ids).as("order after shuffle %d", i).isEqualTo(reference);
      for (Request r : REQUESTS) {
        assertThat(select(ordered, r)).as("%s %s %s %s", r.method(), r.path(), r.headers(),
            r.query()).isEqualTo(r.expected());
      }
    }
  }

  private static @Nullable String select(List<Route> ordered, Request r) {
    for (Route route : ordered) {
      if (matches(route.match(), r)) {
        return route.id();
      }
    }
    return null;
  }

  private static boolean matches(RouteMatch m, Request r) {
    boolean path = switch (m.path()) {
      case PathMatch.Exact e -> r.path().equals(e.value());
      case PathMatch.Prefix p -> prefixMatches(p.value(), r.path());
      case PathMatch.Regex x -> r.path().matches(x.value());
    };
    return path && (m.method() == null || m.method().equals(r.method()))
        && m.headers().stream().allMatch(h -> h.value().equals(r.headers().get(h.name())))
        && m.queryParams().stream().allMatch(q -> q.value().equals(r.query().get(q.name())));
  }

  /** Gateway API PathPrefix: element-wise, a trailing slash in the prefix does not count. */
  private static boolean prefixMatches(String prefix, String path) {
    String p = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
    return p.isEmpty() || path.equals(p) || path.startsWith(p + "/");
  }

  private static RankedRoute ranked(String id, RouteMatch m, @Nullable String time,
      String name) {
    return new RankedRoute(route(id, m), time, name, 0, 0);
  }

  private static Route route(String id, RouteMatch m) {
    return new Route(id, m, List.of(), new Action.DirectResponse(200, id));
  }

  private static RouteMatch exact(String p) {
    return RouteMatch.of(new PathMatch.Exact(p));
  }

  private static RouteMatch prefix(String p) {
    return RouteMatch.of(new PathMatch.Prefix(p));
  }

  private static RouteMatch match(PathMatch path, @Nullable String method, int headers,
      int queries) {
    List<HeaderMatch> h = new ArrayList<>();
    for (int i = 1; i <= headers; i++) {
      h.add(new HeaderMatch("x-h" + i, StringMatchType.EXACT, "1"));
    }
    List<QueryParamMatch> q = new ArrayList<>();
    for (int i = 1; i <= queries; i++) {
      q.add(new QueryParamMatch("q" + i, StringMatchType.EXACT, "1"));
    }
    return new RouteMatch(path, method, h, q);
  }
}
