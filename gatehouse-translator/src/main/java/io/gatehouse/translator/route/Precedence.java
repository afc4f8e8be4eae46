package io.gatehouse.translator.route;

import io.gatehouse.model.PathMatch;
import io.gatehouse.model.RouteMatch;
import java.util.Comparator;

/**
 * Gateway API route precedence (HTTPRouteRule.matches): an Exact path before any other path match,
 * then the longest PathPrefix, then a method match, then the most header matches, then the most
 * query parameter matches; ties go to the oldest route, then to {@code namespace/name} in
 * alphabetical order, then to the first rule and match in list order. RegularExpression paths are
 * implementation-specific: they rank after Exact and before PathPrefix, longest pattern first (as
 * Envoy Gateway does), so that a catch-all prefix does not hide them.
 *
 * <p>
 * GRPCRoute matches (GRPCRouteRule.matches) are not ordered by their model path but by
 * {@link GrpcRank}: characters in the service, in the method, then the number of header matches;
 * the same ties follow. The hostname comes before both (ConfigAssembler). HTTPRoute and GRPCRoute
 * matches never share a virtual host (an HTTPRoute and a GRPCRoute whose hostnames intersect on a
 * listener keep only the older, see {@link KindConflicts}); should they meet, HTTPRoute matches
 * come first, so the order stays total.
 */
public final class Precedence {
  /** Highest precedence first. */
  public static final Comparator<RankedRoute> ORDER = Comparator
      .comparing((RankedRoute r) -> r, Precedence::compareRanks)
      .thenComparing(RankedRoute::creationTimestamp,
          Comparator.nullsLast(Comparator.naturalOrder()))
      .thenComparing(RankedRoute::routeName)
      .thenComparingInt(RankedRoute::rule)
      .thenComparingInt(RankedRoute::match);

  private Precedence() {
  }

  /** Negative when {@code a}'s match takes precedence over {@code b}'s (kind-aware). */
  private static int compareRanks(RankedRoute a, RankedRoute b) {
    if (a.grpc() == null && b.grpc() == null) {
      return compareMatches(a.route().match(), b.route().match());
    }
    if (a.grpc() != null && b.grpc() != null) {
      return GrpcRank.ORDER.compare(a.grpc(), b.grpc());
    }
    return a.grpc() == null ? -1 : 1;
  }

  /** Negative when {@code a} takes precedence over {@code b}; only the match is considered. */
  public static int compareMatches(RouteMatch a, RouteMatch b) {
    int c = Integer.compare(pathRank(a.path()), pathRank(b.path()));
    if (c == 0) {
      c = Integer.compare(b.path().value().length(), a.path().value().length());
    }
    if (c == 0) {
      c = Boolean.compare(b.method() != null, a.method() != null);
    }
    if (c == 0) {
      c = Integer.compare(b.headers().size(), a.headers().size());
    }
    return c != 0 ? c : Integer.compare(b.queryParams().size(), a.queryParams().size());
  }

  private static int pathRank(PathMatch path) {
    return switch (path) {
      case PathMatch.Exact e -> 0;
      case PathMatch.Regex r -> 1;
      case PathMatch.Prefix p -> 2;
    };
  }
}
