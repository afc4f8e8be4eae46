package io.gatehouse.translator.route;

import static java.util.Objects.requireNonNull;

import io.gatehouse.model.Route;
import org.jspecify.annotations.Nullable;

/**
 * A model route with what {@link Precedence} needs to order it against routes of other HTTPRoutes.
 *
 * @param creationTimestamp the HTTPRoute's RFC 3339 creation time, or null when unknown
 * @param routeName {@code namespace/name} of the HTTPRoute
 * @param rule index of the rule within the HTTPRoute
 * @param match index of the match within the rule
 */
public record RankedRoute(Route route, @Nullable String creationTimestamp, String routeName,
    int rule, int match) {
  public RankedRoute {
    requireNonNull(route, "route");
    requireNonNull(routeName, "routeName");
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
