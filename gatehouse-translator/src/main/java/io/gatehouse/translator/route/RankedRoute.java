package io.gatehouse.translator.route;

import static java.util.Objects.requireNonNull;

import io.gatehouse.model.Route;
import org.jspecify.annotations.Nullable;

/**
 * A model route with what {@link Precedence} needs to order it against routes of other HTTPRoutes
 * (or GRPCRoutes).
 *
 * @param creationTimestamp the route's RFC 3339 creation time, or null when unknown
 * @param routeName {@code namespace/name} of the route
 * @param rule index of the rule within the route
 * @param match index of the match within the rule
 * @param grpc the GRPCRoute precedence of the match, or null for an HTTPRoute match (ordered by its
 * path, method, headers and query parameters instead)
 */
public record RankedRoute(Route route, @Nullable String creationTimestamp, String routeName,
    int rule, int match, @Nullable GrpcRank grpc) {
  public RankedRoute {
    requireNonNull(route, "route");
    requireNonNull(routeName, "routeName");
  }

  /** A match of an HTTPRoute rule. */
  public RankedRoute(Route route, @Nullable String creationTimestamp, String routeName, int rule,
      int match) {
    this(route, creationTimestamp, routeName, rule, match, null);
  }

  /**
   * Hashes what identifies the route (its HTTPRoute, rule and match) instead of the whole model
   * route: consistent with {@link #equals}, and cheap for the maps that virtual hosts are built
   * with.
   */
  @Override
  public int hashCode() {
    return (routeName.hashCode() * 31 + rule) * 31 + match;
  }
}
