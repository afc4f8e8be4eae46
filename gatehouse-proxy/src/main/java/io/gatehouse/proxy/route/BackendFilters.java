package io.gatehouse.proxy.route;

import io.gatehouse.model.Filter;
import io.gatehouse.model.WeightedCluster;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The filters of one backendRef (Gateway API {@code HTTPBackendRef.filters}) compiled for the data
 * path. They apply only when that backend is chosen, after the route's own filters: its URL rewrite
 * after the route's, its request header edits after the route's, its response header edits after
 * the route's; a redirect answers instead of forwarding. Immutable.
 *
 * @param redirect the redirect that answers instead of forwarding, or null
 */
public record BackendFilters(HeaderEdits requestEdits, HeaderEdits responseEdits,
    UpstreamRewrite rewrite, RouteAction.@Nullable Redirect redirect) {

  /** No backend filters. */
  public static final BackendFilters NONE = new BackendFilters(HeaderEdits.NONE, HeaderEdits.NONE,
      UpstreamRewrite.NONE, null);

  static BackendFilters of(WeightedCluster backend) {
    List<Filter> filters = backend.filters();
    if (filters.isEmpty()) {
      return NONE;
    }
    RouteAction.Redirect redirect = null;
    for (Filter f : filters) {
      if (f instanceof Filter.RequestRedirect r) {
        redirect = new RouteAction.Redirect(r.redirect().statusCode(),
            new RedirectLocation(r.redirect()));
      }
    }
    return new BackendFilters(HeaderEdits.requestOf(filters), HeaderEdits.responseOf(filters),
        UpstreamRewrite.of(filters), redirect);
  }
}
