package io.gatehouse.model;

import static java.util.Objects.requireNonNull;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The conditions a request must meet, all of them (AND).
 *
 * @param path the path condition; {@code PathMatch.Prefix("/")} matches everything
 * @param method an upper-case HTTP method, or {@code null} for any
 * @param headers header conditions, names compared case-insensitively
 * @param queryParams query parameter conditions, names compared exactly
 */
public record RouteMatch(
    PathMatch path,
    @Nullable String method,
    List<HeaderMatch> headers,
    List<QueryParamMatch> queryParams) {
  public RouteMatch {
    requireNonNull(path, "path");
    headers = List.copyOf(headers);
    queryParams = List.copyOf(queryParams);
  }

  /** A match on the path alone. */
  public static RouteMatch of(PathMatch path) {
    return new RouteMatch(path, null, List.of(), List.of());
  }
}
