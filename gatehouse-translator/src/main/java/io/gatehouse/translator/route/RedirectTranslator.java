package io.gatehouse.translator.route;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPPathModifier;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRequestRedirectFilter;
import io.gatehouse.model.Action;
import io.gatehouse.model.PathMatch;
import io.gatehouse.model.PathRewrite;
import io.gatehouse.model.RouteMatch;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Translates a RequestRedirect filter (Gateway API HTTPRequestRedirectFilter) into the rule's
 * {@link Action.Redirect}: scheme {@code http}/{@code https}, status 301, 302 (the default), 303,
 * 307 or 308, a port in 1-65535, and a path modifier. {@code ReplacePrefixMatch} needs exactly one
 * PathPrefix match in the rule (the CRD's CEL rule), because the prefix it replaces is that
 * match's. Any other value is recorded in {@link RuleProblems} and drops the rule.
 */
final class RedirectTranslator {
  private static final Set<Integer> STATUS_CODES = Set.of(301, 302, 303, 307, 308);

  private RedirectTranslator() {
  }

  static Action.Redirect translateRedirect(HTTPRequestRedirectFilter f, List<RouteMatch> matches,
      String path, RuleProblems problems) {
    String scheme = f.getScheme() == null ? null : f.getScheme().toLowerCase(Locale.ROOT);
    if (scheme != null && !scheme.equals("http") && !scheme.equals("https")) {
      problems.unsupported(path + ".scheme", "Scheme \"" + f.getScheme()
          + "\" is not supported; use http or https.");
    }
    int status = f.getStatusCode() == null ? 302 : f.getStatusCode();
    if (!STATUS_CODES.contains(status)) {
      problems.unsupported(path + ".statusCode", "Status code " + status
          + " is not supported; use 301, 302, 303, 307 or 308.");
      status = 302;
    }
    Integer port = f.getPort();
    if (port != null && (port < 1 || port > 65535)) {
      problems.unsupported(path + ".port", "Port " + port + " is not between 1 and 65535.");
      port = null;
    }
    String hostname = f.getHostname() == null || f.getHostname().isEmpty()
        ? null
        : f.getHostname();
    return new Action.Redirect(scheme, hostname, pathRewrite(f.getPath(), matches, path + ".path",
        problems), port, status);
  }

  /**
   * The path modifier of a RequestRedirect or URLRewrite filter, or null when there is none (or it
   * is invalid, which is recorded in {@code problems}).
   */
  static @Nullable PathRewrite pathRewrite(@Nullable HTTPPathModifier p,
      List<RouteMatch> matches, String path, RuleProblems problems) {
    if (p == null) {
      return null;
    }
    String type = p.getType() == null ? "" : p.getType();
    switch (type) {
      case "ReplaceFullPath" -> {
        return new PathRewrite.ReplaceFullPath(
            problems.required(p.getReplaceFullPath(), path + ".replaceFullPath"));
      }
      case "ReplacePrefixMatch" -> {
        String replacement = problems.required(p.getReplacePrefixMatch(),
            path + ".replacePrefixMatch");
        if (matches.size() != 1 || !(matches.get(0).path() instanceof PathMatch.Prefix prefix)) {
          problems.unsupported(path + ".replacePrefixMatch", "ReplacePrefixMatch needs exactly"
              + " one PathPrefix match in the rule.");
          return null;
        }
        return new PathRewrite.ReplacePrefixMatch(prefix.value(), replacement);
      }
      default -> {
        problems.unsupported(path + ".type", "Path modifier type \"" + type
            + "\" is not supported.");
        return null;
      }
    }
  }
}
