package io.gatehouse.translator.route;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPHeaderMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPPathMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPQueryParamMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteMatch;
import io.gatehouse.model.HeaderMatch;
import io.gatehouse.model.PathMatch;
import io.gatehouse.model.QueryParamMatch;
import io.gatehouse.model.RouteMatch;
import io.gatehouse.model.StringMatchType;
import io.gatehouse.translator.status.Problem;
import io.gatehouse.translator.status.Reason;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.jspecify.annotations.Nullable;

/**
 * Translates an HTTPRouteMatch, applying the CRD defaults (path {@code PathPrefix /}, header and
 * query type {@code Exact}). A value we cannot serve (unknown type, relative path, bad regular
 * expression) throws {@link InvalidRule}, which drops the rule.
 */
final class MatchTranslator {
  private MatchTranslator() {
  }

  static RouteMatch translateMatch(@Nullable HTTPRouteMatch m, String path) {
    if (m == null) {
      return RouteMatch.of(new PathMatch.Prefix("/"));
    }
    List<HeaderMatch> headers = new ArrayList<>();
    List<HTTPHeaderMatch> hs = m.getHeaders() == null ? List.of() : m.getHeaders();
    for (int i = 0; i < hs.size(); i++) {
      HTTPHeaderMatch h = hs.get(i);
      String p = path + ".headers[" + i + "]";
      headers.add(new HeaderMatch(nonNull(h.getName(), p + ".name"),
          type(h.getType(), h.getValue(), p), nonNull(h.getValue(), p + ".value")));
    }
    List<QueryParamMatch> query = new ArrayList<>();
    List<HTTPQueryParamMatch> qs = m.getQueryParams() == null ? List.of() : m.getQueryParams();
    for (int i = 0; i < qs.size(); i++) {
      HTTPQueryParamMatch q = qs.get(i);
      String p = path + ".queryParams[" + i + "]";
      query.add(new QueryParamMatch(nonNull(q.getName(), p + ".name"),
          type(q.getType(), q.getValue(), p), nonNull(q.getValue(), p + ".value")));
    }
    String method = m.getMethod() == null ? null : m.getMethod().toUpperCase(Locale.ROOT);
    return new RouteMatch(path(m.getPath(), path + ".path"), method, headers, query);
  }

  private static PathMatch path(@Nullable HTTPPathMatch p, String path) {
    String type = p == null || p.getType() == null ? "PathPrefix" : p.getType();
    String value = p == null || p.getValue() == null ? "/" : p.getValue();
    if (!type.equals("RegularExpression") && !value.startsWith("/")) {
      throw new InvalidRule(Reason.UNSUPPORTED_VALUE,
          path + ".value: Path \"" + value + "\" must start with \"/\".");
    }
    return switch (type) {
      case "Exact" -> new PathMatch.Exact(value);
      case "PathPrefix" -> new PathMatch.Prefix(value);
      case "RegularExpression" -> new PathMatch.Regex(checkRegex(value, path + ".value"));
      default -> throw new InvalidRule(Reason.UNSUPPORTED_VALUE,
          path + ".type: Path match type \"" + type + "\" is not supported.");
    };
  }

  private static StringMatchType type(@Nullable String type, @Nullable String value,
      String path) {
    if (type == null || type.equals("Exact")) {
      return StringMatchType.EXACT;
    }
    if (type.equals("RegularExpression")) {
      checkRegex(nonNull(value, path + ".value"), path + ".value");
      return StringMatchType.REGULAR_EXPRESSION;
    }
    throw new InvalidRule(Reason.UNSUPPORTED_VALUE,
        path + ".type: Match type \"" + type + "\" is not supported.");
  }

  private static String checkRegex(String regex, String path) {
    try {
      Pattern.compile(regex);
      return regex;
    } catch (PatternSyntaxException e) {
      throw new InvalidRule(Reason.UNSUPPORTED_VALUE,
          path + ": Regular expression \"" + regex + "\" is invalid: " + e.getDescription() + ".");
    }
  }

  private static String nonNull(@Nullable String value, String path) {
    if (value == null) {
      throw new InvalidRule(Reason.UNSUPPORTED_VALUE, path + ": A value is required.");
    }
    return value;
  }

  /** Thrown inside rule translation only; caught by {@link RuleTranslator}, never escapes. */
  static final class InvalidRule extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient Problem problem;

    InvalidRule(Reason reason, String message) {
      super(message, null, false, false);
      this.problem = new Problem(reason, message);
    }
  }
}
