package io.gatehouse.proxy.route;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.model.Action;
import io.gatehouse.model.Cluster;
import io.gatehouse.model.Endpoint;
import io.gatehouse.model.HeaderMatch;
import io.gatehouse.model.HttpListener;
import io.gatehouse.model.PathMatch;
import io.gatehouse.model.QueryParamMatch;
import io.gatehouse.model.Route;
import io.gatehouse.model.RouteMatch;
import io.gatehouse.model.StringMatchType;
import io.gatehouse.model.UpstreamProtocol;
import io.gatehouse.model.VirtualHost;
import io.gatehouse.model.WeightedCluster;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RouteTableTest {

  private static final RouteTable TABLE = RouteTable.of(new HttpListener("ns/gw/80", "127.0.0.1",
      80,
      List.of(
          vhost(List.of("foo.example.com"), route("exact-foo", new PathMatch.Exact("/exact")),
              route("prefix-foo", new PathMatch.Prefix("/foo")),
              route("prefix-slash", new PathMatch.Prefix("/bar/")),
              route("regex", new PathMatch.Regex("/items/[0-9]+")),
              new Route("method-post", new RouteMatch(new PathMatch.Prefix("/m"), "POST", List.of(),
                  List.of()), List.of(), direct("method-post")),
              new Route("header", new RouteMatch(new PathMatch.Prefix("/h"), null,
                  List.of(new HeaderMatch("X-Env", StringMatchType.EXACT, "canary")), List.of()),
                  List.of(), direct("header")),
              new Route("header-regex", new RouteMatch(new PathMatch.Prefix("/h"), null,
                  List.of(new HeaderMatch("x-ver", StringMatchType.REGULAR_EXPRESSION, "v[12]")),
                  List.of()), List.of(), direct("header-regex")),
              new Route("query", new RouteMatch(new PathMatch.Prefix("/q"), null, List.of(),
                  List.of(new QueryParamMatch("debug", StringMatchType.EXACT, "1"))), List.of(),
                  direct("query")),
              route("first", new PathMatch.Prefix("/order")),
              route("second", new PathMatch.Prefix("/order/x")),
              route("fallback-foo", new PathMatch.Prefix("/"))),
          vhost(List.of("*.example.com"), route("wild", new PathMatch.Prefix("/"))),
          vhost(List.of("*.deep.example.com"), route("wild-deep", new PathMatch.Prefix("/"))),
          vhost(List.of("[::1]", "10.0.0.1"), route("literal", new PathMatch.Prefix("/"))),
          vhost(List.of("*"), route("catch-all", new PathMatch.Prefix("/only"))))),
      Map.of());

  @ParameterizedTest(name = "{0} {1} {2} -> {3}")
  @CsvSource(delimiter = '|', nullValues = "null", textBlock = """
      # host                      | method | uri                | expected
      foo.example.com             | GET    | /exact             | exact-foo
      FOO.Example.COM:8080        | GET    | /exact             | exact-foo
      foo.example.com.            | GET    | /exact             | exact-foo
      foo.example.com             | GET    | /exact/            | fallback-foo
      foo.example.com             | GET    | /foo               | prefix-foo
      foo.example.com             | GET    | /foo/              | prefix-foo
      foo.example.com             | GET    | /foo/bar           | prefix-foo
      foo.example.com             | GET    | /foobar            | fallback-foo
      foo.example.com             | GET    | /foo?x=1           | prefix-foo
      foo.example.com             | GET    | /bar               | prefix-slash
      foo.example.com             | GET    | /bar/baz           | prefix-slash
      foo.example.com             | GET    | /barn              | fallback-foo
      foo.example.com             | GET    | /items/42          | regex
      foo.example.com             | GET    | /items/42/x        | fallback-foo
      foo.example.com             | GET    | /items/abc         | fallback-foo
      foo.example.com             | POST   | /m                 | method-post
      foo.example.com             | GET    | /m                 | fallback-foo
      foo.example.com             | GET    | /q?debug=1         | query
      foo.example.com             | GET    | /q?a=b&debug=1     | query
      foo.example.com             | GET    | /q?debug=2         | fallback-foo
      foo.example.com             | GET    | /q                 | fallback-foo
      foo.example.com             | GET    | /order/x           | first
      a.example.com               | GET    | /anything          | wild
      a.b.example.com             | GET    | /anything          | wild
      a.deep.example.com          | GET    | /anything          | wild-deep
      x.a.deep.example.com        | GET    | /anything          | wild-deep
      deep.example.com            | GET    | /anything          | wild
      example.com                 | GET    | /only              | catch-all
      example.com                 | GET    | /other             | null
      other.org                   | GET    | /only/x            | catch-all
      null                        | GET    | /only              | catch-all
      [::1]:8443                  | GET    | /                  | literal
      10.0.0.1:80                 | GET    | /                  | literal
      """)
  void selectsRoute(@Nullable String host, String method, String uri, @Nullable String expected) {
    assertThat(select(TABLE, host, method, uri, new DefaultHttpHeaders()))
        .isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}: {1} -> {2}")
  @CsvSource(delimiter = '|', nullValues = "null", textBlock = """
      # header name | value  | expected
      x-env         | canary | header
      X-ENV         | canary | header
      x-env         | Canary | fallback-foo
      x-ver         | v2     | header-regex
      x-ver         | v3     | fallback-foo
      x-ver         | xv1    | fallback-foo
      """)
  void matchesHeaders(String name, String value, String expected) {
    HttpHeaders headers = new DefaultHttpHeaders().add(name, value);
    assertThat(select(TABLE, "foo.example.com", "GET", "/h", headers)).isEqualTo(expected);
  }

  /**
   * SECURITY.md B7, the canonical view of a multi-value header: the condition sees the combined
   * value and each list element, so {@code canary} is found however the client splits or joins it.
   * Values stay case-sensitive (Gateway API Exact); names are not.
   */
  @Test
  void headerConditionsSeeEveryValue() {
    HttpHeaders twoLines = new DefaultHttpHeaders().add("x-env", "prod").add("x-env", "canary");
    HttpHeaders oneLine = new DefaultHttpHeaders().add("x-env", "prod,canary");
    HttpHeaders spaced = new DefaultHttpHeaders().add("X-Env", "prod , canary ");
    HttpHeaders mixedCaseNames = new DefaultHttpHeaders().add("X-ENV", "prod").add("x-Env",
        "canary");
    for (HttpHeaders h : List.of(twoLines, oneLine, spaced, mixedCaseNames)) {
      assertThat(select(TABLE, "foo.example.com", "GET", "/h", h)).as(h.toString())
          .isEqualTo("header");
    }
    HttpHeaders noElement = new DefaultHttpHeaders().add("x-env", "prod,canaryx")
        .add("x-env", "Canary");
    assertThat(select(TABLE, "foo.example.com", "GET", "/h", noElement))
        .isEqualTo("fallback-foo");
    // A regex sees the combined value too.
    HttpHeaders regex = new DefaultHttpHeaders().add("x-ver", "v9").add("x-ver", "v1");
    assertThat(select(TABLE, "foo.example.com", "GET", "/h", regex)).isEqualTo("header-regex");
  }

  @Test
  void noHostsMeansNoRoute() {
    assertThat(select(RouteTable.EMPTY, "a", "GET", "/", new DefaultHttpHeaders())).isNull();
  }

  @Test
  void forwardSplitsByWeightAndCountsUndefinedClustersAsInvalid() {
    Cluster a = new Cluster("a", List.of(new Endpoint("127.0.0.1", 1, 1)), UpstreamProtocol.HTTP1);
    Action.Forward f = new Action.Forward(List.of(new WeightedCluster("a", 3),
        new WeightedCluster("missing", 2), new WeightedCluster("zero", 0)), 5);
    RouteTable t = RouteTable.of(new HttpListener("l", "127.0.0.1", 80,
        List.of(new VirtualHost(List.of("*"),
            List.of(new Route("r", RouteMatch.of(new PathMatch.Prefix("/")), List.of(), f))))),
        Map.of("a", a));
    RouteEntry r = t.select("x", new RouteRequest("GET", "/", "", new DefaultHttpHeaders()));
    RouteAction.Forward compiled = (RouteAction.Forward) r.action();
    assertThat(compiled.total()).isEqualTo(10);
    assertThat(compiled.pick(0).name()).isEqualTo("a");
    assertThat(compiled.pick(2).name()).isEqualTo("a");
    assertThat(compiled.pick(3)).isNull();
    assertThat(compiled.pick(9)).isNull();
  }

  @Test
  void hostOfStripsPortAndKeepsIpv6Brackets() {
    assertThat(RouteTable.hostOf("Example.COM:80")).isEqualTo("example.com");
    assertThat(RouteTable.hostOf("[2001:DB8::1]:443")).isEqualTo("[2001:db8::1]");
    assertThat(RouteTable.hostOf("2001:db8::1")).isEqualTo("2001:db8::1");
    assertThat(RouteTable.hostOf(null)).isEmpty();
  }

  private static @Nullable String select(RouteTable table, @Nullable String host, String method,
      String uri, HttpHeaders headers) {
    int q = uri.indexOf('?');
    RouteRequest request = new RouteRequest(method, q < 0 ? uri : uri.substring(0, q),
        q < 0 ? "" : uri.substring(q + 1), headers);
    RouteEntry r = table.select(host, request);
    return r == null ? null : r.id();
  }

  private static VirtualHost vhost(List<String> hosts, Route... routes) {
    return new VirtualHost(hosts, List.of(routes));
  }

  private static Route route(String id, PathMatch path) {
    return new Route(id, RouteMatch.of(path), List.of(), direct(id));
  }

  private static Action direct(String body) {
    return new Action.DirectResponse(200, body);
  }
}
