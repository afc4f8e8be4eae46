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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.jspecify.annotations.Nullable;

/**
 * Translates an HTTPRouteMatch, applying the CRD defaults (path {@code PathPrefix /}, header and
 * query type {@code Exact}). A value we cannot serve (unknown type, relative path, bad regular
 * expression) is recorded in {@link RuleProblems}, which drops the rule.
 */
final class MatchTranslator {
  private static final PathMatch PLACEHOLDER = new PathMatch.Prefix("/");

  private MatchTranslator() {
  }

  static RouteMatch translateMatch(@Nullable HTTPRouteMatch m, String path,
      RuleProblems problems) {
    if (m == null) {
      return RouteMatch.of(new PathMatch.Prefix("/"));
    }
    List<HeaderMatch> headers = new ArrayList<>();
    List<HTTPHeaderMatch> hs = m.getHeaders() == null ? List.of() : m.getHeaders();
    for (int i = 0; i < hs.size(); i++) {
      HTTPHeaderMatch h = hs.get(i);
      String p = path + ".headers[" + i + "]";
      String value = problems.required(h.getValue(), p + ".value");
      headers.add(new HeaderMatch(problems.required(h.getName(), p + ".name"),
          type(h.getType(), value, p, problems), value));
    }
    List<QueryParamMatch> query = new ArrayList<>();
    List<HTTPQueryParamMatch> qs = m.getQueryParams() == null ? List.of() : m.getQueryParams();
    for (int i = 0; i < qs.size(); i++) {
      HTTPQueryParamMatch q = qs.get(i);
      String p = path + ".queryParams[" + i + "]";
      String value = problems.required(q.getValue(), p + ".value");
      query.add(new QueryParamMatch(problems.required(q.getName(), p + ".name"),
          type(q.getType(), value, p, problems), value));
    }
    String method = m.getMethod() == null ? null : m.getMethod().toUpperCase(Locale.ROOT);
    return new RouteMatch(path(m.getPath(), path + ".path", problems), method, headers, query);
  }

  private static PathMatch path(@Nullable HTTPPathMatch p, String path, RuleProblems problems) {
    String type = p == null || p.getType() == null ? "PathPrefix" : p.getType();
    String value = p == null || p.getValue() == null ? "/" : p.getValue();
    if (!type.equals("RegularExpression") && !value.startsWith("/")) {
      problems.unsupported(path + ".value", "Path \"" + value + "\" must start with \"/\".");
      return PLACEHOLDER;
    }
    return switch (type) {
      case "Exact" -> new PathMatch.Exact(value);
      case "PathPrefix" -> new PathMatch.Prefix(value);
      case "RegularExpression" -> checkRegex(value, path + ".value", problems)
          ? new PathMatch.Regex(value)
          : PLACEHOLDER;
      default -> {
        problems.unsupported(path + ".type", "Path match type \"" + type + "\" is not supported.");
        yield PLACEHOLDER;
      }
    };
  }

  private static StringMatchType type(@Nullable String type, String value, String path,
      RuleProblems problems) {
    if (type == null || type.equals("Exact")) {
      return StringMatchType.EXACT;
    }
    if (type.equals("RegularExpression")) {
      checkRegex(value, path + ".value", problems);
      return StringMatchType.REGULAR_EXPRESSION;
    }
    problems.unsupported(path + ".type", "Match type \"" + type + "\" is not supported.");
    return StringMatchType.EXACT;
  }

  private static boolean checkRegex(String regex, String path, RuleProblems problems) {
    try {
      Pattern.compile(regex);
      return true;
    } catch (PatternSyntaxException e) {
      problems.unsupported(path,
          "Regular expression \"" + regex + "\" is invalid: " + e.getDescription() + ".");
      return false;
    }
  }
}
