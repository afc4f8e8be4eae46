package io.gatehouse.model;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * One match of one HTTPRoute rule, with what to do with the requests it matches.
 *
 * @param id {@code <namespace>/<route>/rule/<i>/match/<j>}, stable and unique within a listener
 * @param match the request conditions
 * @param filters applied in order before the action
 * @param action what answers the request
 * @param timeouts the rule's request and backend request timeouts
 * @param retry when a forwarded request is sent again ({@link Retry#NONE}: never)
 */
public record Route(String id, RouteMatch match, List<Filter> filters, Action action,
    Timeouts timeouts, Retry retry) {
  public Route {
    requireNonNull(id, "id");
    requireNonNull(match, "match");
    requireNonNull(action, "action");
    requireNonNull(timeouts, "timeouts");
    requireNonNull(retry, "retry");
    filters = List.copyOf(filters);
  }

  /** A route without retries. */
  public Route(String id, RouteMatch match, List<Filter> filters, Action action,
      Timeouts timeouts) {
    this(id, match, filters, action, timeouts, Retry.NONE);
  }

  /** A route without timeouts or retries. */
  public Route(String id, RouteMatch match, List<Filter> filters, Action action) {
    this(id, match, filters, action, Timeouts.NONE, Retry.NONE);
  }
}
