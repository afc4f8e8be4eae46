package io.gatehouse.translator.route;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCHeaderMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCMethodMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCRouteMatch;
import io.gatehouse.model.HeaderMatch;
import io.gatehouse.model.PathMatch;
import io.gatehouse.model.RouteMatch;
import io.gatehouse.model.StringMatchType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.jspecify.annotations.Nullable;

/**
 * Translates a GRPCRouteMatch into a model match on the request path, which for gRPC is
 * {@code /<service>/<method>} (gRPC over HTTP/2: {@code :path} is {@code "/" Service-Name "/"
 * Method-Name}). Method match type {@code Exact} (the CRD default):
 * <ul>
 * <li>service and method: {@code Exact /<service>/<method>};
 * <li>service only: every method of that service, {@code Regex /<service>/[^/]+} with the dots of
 * the service escaped (a PathPrefix would also match {@code /<service>} and deeper paths);
 * <li>method only: that method of any service, {@code Regex /[^/]+/<method>}.
 * </ul>
 * Type {@code RegularExpression}: {@code Regex} of the two expressions (an absent one matches any
 * name), each matched against one whole path segment; a leading {@code ^} and a trailing {@code $}
 * are accepted and dropped, since every expression is matched whole anyway. No method match: any
 * path. Header matches are {@code Exact} (default) or {@code RegularExpression} on the metadata key
 * as header name; only the first of several entries with the same (case-insensitive) name counts.
 * Every value the CRD would reject (neither service nor method, characters outside the CRD
 * patterns, a regular expression that does not compile, an unknown type) is recorded in
 * {@link RuleProblems}, which drops the rule.
 */
final class GRPCMatchTranslator {
  /** The CRD's pattern for an Exact service. */
  private static final Pattern SERVICE = Pattern.compile(
      "(?i)\\.?[a-z_][a-z_0-9]*(\\.[a-z_][a-z_0-9]*)*");
  /** The CRD's pattern for an Exact method. */
  private static final Pattern METHOD = Pattern.compile("[A-Za-z_][A-Za-z_0-9]*");
  private static final String SEGMENT = "[^/]+";
  private static final PathMatch ANY = new PathMatch.Prefix("/");

  private GRPCMatchTranslator() {
  }

  static RouteMatch translateMatch(@Nullable GRPCRouteMatch m, String path,
      RuleProblems problems) {
    if (m == null) {
      return RouteMatch.of(ANY);
    }
    PathMatch method = m.getMethod() == null
        ? ANY
        : method(m.getMethod(), path + ".method", problems);
    return new RouteMatch(method, null, headers(m.getHeaders(), path, problems), List.of());
  }

  /** The precedence of {@code m} among GRPCRoute matches. */
  static GrpcRank rank(@Nullable GRPCRouteMatch m) {
    if (m == null) {
      return new GrpcRank(0, 0, 0);
    }
    GRPCMethodMatch method = m.getMethod();
    String service = method == null ? null : blankToNull(method.getService());
    String name = method == null ? null : blankToNull(method.getMethod());
    return new GrpcRank(service == null ? 0 : service.length(),
        name == null ? 0 : name.length(), distinctHeaders(m.getHeaders()));
  }

  private static PathMatch method(GRPCMethodMatch m, String path, RuleProblems problems) {
    String type = m.getType() == null ? "Exact" : m.getType();
    String service = blankToNull(m.getService());
    String method = blankToNull(m.getMethod());
    if (service == null && method == null) {
      problems.unsupported(path, "One or both of service and method must be specified.");
      return ANY;
    }
    return switch (type) {
      case "Exact" -> exact(service, method, path, problems);
      case "RegularExpression" -> regex(service, method, path, problems);
      default -> {
        problems.unsupported(path + ".type", "Method match type \"" + type
            + "\" is not supported.");
        yield ANY;
      }
    };
  }

  private static PathMatch exact(@Nullable String service, @Nullable String method, String path,
      RuleProblems problems) {
    boolean valid = true;
    if (service != null && !SERVICE.matcher(service).matches()) {
      problems.unsupported(path + ".service", "Service \"" + service + "\" must match "
          + SERVICE.pattern() + ".");
      valid = false;
    }
    if (method != null && !METHOD.matcher(method).matches()) {
      problems.unsupported(path + ".method", "Method \"" + method + "\" must match "
          + METHOD.pattern() + ".");
      valid = false;
    }
    if (!valid) {
      return ANY;
    }
    if (service != null && method != null) {
      return new PathMatch.Exact("/" + service + "/" + method);
    }
    return service != null
        ? new PathMatch.Regex("/" + literal(service) + "/" + SEGMENT)
        : new PathMatch.Regex("/" + SEGMENT + "/" + literal(method));
  }

  /**
   * {@code name} as a regular expression that matches exactly it: a name that passed the CRD
   * pattern has letters, digits, {@code _} and {@code .}, of which only the dot needs escaping.
   */
  private static String literal(String name) {
    return name.replace(".", "\\.");
  }

  private static PathMatch regex(@Nullable String service, @Nullable String method, String path,
      RuleProblems problems) {
    String s = service == null ? SEGMENT : unanchored(service);
    String m = method == null ? SEGMENT : unanchored(method);
    boolean valid = service == null || compiles(s, path + ".service", problems);
    valid &= method == null || compiles(m, path + ".method", problems);
    if (!valid) {
      return ANY;
    }
    // The look-ahead keeps each expression inside its own segment: exactly /<a>/<b>.
    String combined = "/(?=[^/]+/[^/]+$)(?:" + s + ")/(?:" + m + ")";
    // An expression that compiles alone may still not nest (an unterminated \Q quote).
    return compiles(combined, path, problems) ? new PathMatch.Regex(combined) : ANY;
  }

  private static List<HeaderMatch> headers(@Nullable List<GRPCHeaderMatch> given, String path,
      RuleProblems problems) {
    List<HeaderMatch> out = new ArrayList<>();
    List<GRPCHeaderMatch> hs = given == null ? List.of() : given;
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < hs.size(); i++) {
      GRPCHeaderMatch h = hs.get(i);
      String p = path + ".headers[" + i + "]";
      String name = problems.required(h.getName(), p + ".name");
      String value = problems.required(h.getValue(), p + ".value");
      if (!seen.add(name.toLowerCase(Locale.ROOT))) {
        continue; // Gateway API: only the first entry with an equivalent name is considered.
      }
      String type = h.getType() == null ? "Exact" : h.getType();
      switch (type) {
        case "Exact" -> out.add(new HeaderMatch(name, StringMatchType.EXACT, value));
        case "RegularExpression" -> {
          compiles(value, p + ".value", problems);
          out.add(new HeaderMatch(name, StringMatchType.REGULAR_EXPRESSION, value));
        }
        default -> problems.unsupported(p + ".type", "Header match type \"" + type
            + "\" is not supported.");
      }
    }
    return out;
  }

  /** The number of header names, ignoring case (repeated names count once, as they match once). */
  private static int distinctHeaders(@Nullable List<GRPCHeaderMatch> given) {
    Set<String> names = new HashSet<>();
    if (given != null) {
      given.stream()
          .filter(h -> h.getName() != null)
          .forEach(h -> names.add(h.getName().toLowerCase(Locale.ROOT)));
    }
    return names.size();
  }

  /** {@code regex} without one leading {@code ^} and one unescaped trailing {@code $}. */
  private static String unanchored(String regex) {
    String r = regex.startsWith("^") ? regex.substring(1) : regex;
    if (r.endsWith("$") && !r.endsWith("\\$")) {
      r = r.substring(0, r.length() - 1);
    }
    return r;
  }

  private static boolean compiles(String regex, String path, RuleProblems problems) {
    try {
      Pattern.compile(regex);
      return true;
    } catch (PatternSyntaxException e) {
      problems.unsupported(path,
          "Regular expression \"" + regex + "\" is invalid: " + e.getDescription() + ".");
      return false;
    }
  }

  private static @Nullable String blankToNull(@Nullable String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
