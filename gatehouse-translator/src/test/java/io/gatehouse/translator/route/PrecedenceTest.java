package io.gatehouse.translator.route;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.model.Action;
import io.gatehouse.model.HeaderMatch;
import io.gatehouse.model.PathMatch;
import io.gatehouse.model.QueryParamMatch;
import io.gatehouse.model.Route;
import io.gatehouse.model.RouteMatch;
import io.gatehouse.model.StringMatchType;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PrecedenceTest {
  private static final HeaderMatch H = new HeaderMatch("x", StringMatchType.EXACT, "1");
  private static final QueryParamMatch Q = new QueryParamMatch("q", StringMatchType.EXACT, "1");

  static Stream<Arguments> higherFirst() {
    return Stream.of(
        Arguments.of("exact beats longer prefix", ranked(exact("/a")), ranked(prefix("/abcdef"))),
        Arguments.of("exact beats regex", ranked(exact("/a")), ranked(regex("/a.*"))),
        Arguments.of("regex beats prefix", ranked(regex("/a.*")), ranked(prefix("/abcdef"))),
        Arguments.of("longer prefix", ranked(prefix("/foo/bar")), ranked(prefix("/foo"))),
        Arguments.of("method beats headers",
            ranked(new RouteMatch(new PathMatch.Prefix("/"), "GET", List.of(), List.of())),
            ranked(new RouteMatch(new PathMatch.Prefix("/"), null, List.of(H, H), List.of()))),
        Arguments.of("more headers",
            ranked(new RouteMatch(new PathMatch.Prefix("/"), null, List.of(H, H), List.of())),
            ranked(new RouteMatch(new PathMatch.Prefix("/"), null, List.of(H), List.of(Q, Q)))),
        Arguments.of("more query params",
            ranked(new RouteMatch(new PathMatch.Prefix("/"), null, List.of(), List.of(Q))),
            ranked(prefix("/"))),
        Arguments.of("path beats method",
            ranked(prefix("/foo")),
            ranked(new RouteMatch(new PathMatch.Prefix("/"), "GET", List.of(), List.of()))),
        Arguments.of("older route",
            new RankedRoute(route(prefix("/")), "2026-01-01T00:00:00Z", "ns/z", 0, 0),
            new RankedRoute(route(prefix("/")), "2026-02-01T00:00:00Z", "ns/a", 0, 0)),
        Arguments.of("known timestamp before unknown",
            new RankedRoute(route(prefix("/")), "2026-01-01T00:00:00Z", "ns/z", 0, 0),
            new RankedRoute(route(prefix("/")), null, "ns/a", 0, 0)),
        Arguments.of("name breaks ties",
            new RankedRoute(route(prefix("/")), "2026-01-01T00:00:00Z", "a/z", 0, 0),
            new RankedRoute(route(prefix("/")), "2026-01-01T00:00:00Z", "b/a", 0, 0)),
        Arguments.of("rule order",
            new RankedRoute(route(prefix("/")), null, "ns/r", 0, 5),
            new RankedRoute(route(prefix("/")), null, "ns/r", 1, 0)),
        Arguments.of("match order",
            new RankedRoute(route(prefix("/")), null, "ns/r", 1, 0),
            new RankedRoute(route(prefix("/")), null, "ns/r", 1, 1)),
        Arguments.of("grpc: longer service beats an exact path",
            grpc(regex("/a\\.bc/[^/]+"), new GrpcRank(4, 0, 0), "ns/z"),
            grpc(exact("/a.b/Echo"), new GrpcRank(3, 4, 0), "ns/a")),
        Arguments.of("grpc: longer method beats headers",
            grpc(exact("/a.b/EchoTwo"), new GrpcRank(3, 7, 0), "ns/z"),
            grpc(exact("/a.b/Echo"), new GrpcRank(3, 4, 3), "ns/a")),
        Arguments.of("grpc: more headers",
            grpc(prefix("/"), new GrpcRank(0, 0, 2), "ns/z"),
            grpc(prefix("/"), new GrpcRank(0, 0, 1), "ns/a")),
        Arguments.of("grpc: older route on a tie",
            grpc(prefix("/"), new GrpcRank(0, 0, 0), "ns/z"),
            new RankedRoute(route(prefix("/")), "2026-02-01T00:00:00Z", "ns/a", 0, 0,
                new GrpcRank(0, 0, 0))),
        Arguments.of("grpc: name on a tie",
            grpc(prefix("/"), new GrpcRank(1, 1, 1), "ns/a"),
            grpc(prefix("/"), new GrpcRank(1, 1, 1), "ns/b")),
        Arguments.of("http before grpc should they meet",
            ranked(prefix("/")),
            grpc(exact("/a.b/Echo"), new GrpcRank(3, 4, 0), "ns/a")));
  }

  private static RankedRoute grpc(RouteMatch match, GrpcRank rank, String name) {
    return new RankedRoute(route(match), "2026-01-01T00:00:00Z", name, 0, 0, rank);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("higherFirst")
  void ordersHigherPrecedenceFirst(String name, RankedRoute higher, RankedRoute lower) {
    assertThat(Precedence.ORDER.compare(higher, lower)).isNegative();
    assertThat(Precedence.ORDER.compare(lower, higher)).isPositive();
  }

  private static RankedRoute ranked(RouteMatch match) {
    return new RankedRoute(route(match), "2026-01-01T00:00:00Z", "ns/r", 0, 0);
  }

  private static Route route(RouteMatch match) {
    return new Route("id", match, List.of(), new Action.DirectResponse(200, ""));
  }

  private static RouteMatch exact(String p) {
    return RouteMatch.of(new PathMatch.Exact(p));
  }

  private static RouteMatch prefix(String p) {
    return RouteMatch.of(new PathMatch.Prefix(p));
  }

  private static RouteMatch regex(String p) {
    return RouteMatch.of(new PathMatch.Regex(p));
  }
}
