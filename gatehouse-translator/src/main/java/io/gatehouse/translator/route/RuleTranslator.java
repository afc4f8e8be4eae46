package io.gatehouse.translator.route;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRequestRedirectFilter;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteFilter;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule;
import io.gatehouse.model.Action;
import io.gatehouse.model.Cluster;
import io.gatehouse.model.Filter;
import io.gatehouse.model.Retry;
import io.gatehouse.model.Route;
import io.gatehouse.model.RouteMatch;
import io.gatehouse.model.Timeouts;
import io.gatehouse.model.WeightedCluster;
import io.gatehouse.translator.backend.BackendResolution;
import io.gatehouse.translator.backend.BackendResolver;
import io.gatehouse.translator.status.Problem;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Translates one HTTPRoute rule into one model route per match. A rule with a RequestRedirect
 * filter answers with that redirect and may not have backendRefs (the CRD's CEL rule), nor a
 * URLRewrite filter; a URLRewrite becomes the last of the route's filters. Unresolvable backendRefs
 * keep the rule serving: their weight becomes {@link Action.Forward#invalidWeight()} (500 for that
 * share); when no valid backend has any weight the rule answers 500 directly. Filters on a
 * backendRef apply only to the requests sent to it; session persistence (see
 * {@link SessionTranslator}) belongs to a forwarding rule. RequestMirror filters follow the rule's
 * other filters ({@link MirrorTranslator}). Invalid timeouts or retry settings drop the rule.
 */
final class RuleTranslator {
  private final BackendResolver backends;
  /** The filter types a rule may have; null: all HTTPRoute types. */
  private final @Nullable Set<String> ruleFilterTypes;
  /** The filter types a backendRef may have; null: all HTTPRoute types. */
  private final @Nullable Set<String> backendFilterTypes;
  /** The status of a rule without any valid backend weight. */
  private final int noBackendStatus;

  RuleTranslator(BackendResolver backends) {
    this(backends, null, null, 500);
  }

  /**
   * A translator for rules of another route kind read as HTTPRoute rules (GRPCRoute): only the
   * given filter types are accepted, and a rule without a valid backend answers
   * {@code noBackendStatus}.
   */
  RuleTranslator(BackendResolver backends, @Nullable Set<String> ruleFilterTypes,
      @Nullable Set<String> backendFilterTypes, int noBackendStatus) {
    this.backends = backends;
    this.ruleFilterTypes = ruleFilterTypes;
    this.backendFilterTypes = backendFilterTypes;
    this.noBackendStatus = noBackendStatus;
  }

  /** Translates {@code rule}, the {@code index}th rule of route {@code namespace/name}. */
  TranslatedRule translateRule(String namespace, String name, HTTPRouteRule rule, int index) {
    String path = "spec.rules[" + index + "]";
    return translateRule(namespace, name, rule, index, invalid -> {
      List<HTTPRouteMatch> matches = rule.getMatches() == null || rule.getMatches().isEmpty()
          ? Collections.singletonList(null)
          : rule.getMatches();
      List<RouteMatch> routeMatches = new ArrayList<>();
      for (int j = 0; j < matches.size(); j++) {
        routeMatches.add(MatchTranslator.translateMatch(matches.get(j),
            path + ".matches[" + j + "]", invalid));
      }
      return routeMatches;
    });
  }

  /**
   * Translates {@code rule} with matches that {@code matches} translates (after the rule's filters,
   * recording its problems in the rule's {@link RuleProblems}); {@code rule}'s own matches are not
   * read.
   */
  TranslatedRule translateRule(String namespace, String name, HTTPRouteRule rule, int index,
      Function<RuleProblems, List<RouteMatch>> matches) {
    String path = "spec.rules[" + index + "]";
    RuleProblems invalid = new RuleProblems();
    FilterTranslator.RuleFilters ruleFilters = FilterTranslator.translateFilters(
        rule.getFilters(), path + ".filters", invalid, ruleFilterTypes);
    List<Filter> filters = new ArrayList<>(ruleFilters.filters());
    List<RouteMatch> routeMatches = matches.apply(invalid);
    if (ruleFilters.urlRewrite() != null) {
      Filter rewrite = FilterTranslator.translateUrlRewrite(ruleFilters.urlRewrite(), routeMatches,
          ruleFilters.urlRewritePath(), invalid);
      if (rewrite != null) {
        filters.add(rewrite);
      }
    }
    List<Problem> refProblems = new ArrayList<>();
    Map<String, Cluster> clusters = new LinkedHashMap<>();
    for (MirrorTranslator.Written m : ruleFilters.mirrors()) {
      Filter mirror = MirrorTranslator.translateMirror(backends, namespace, m, clusters,
          refProblems, invalid);
      if (mirror != null) {
        filters.add(mirror);
      }
    }
    HTTPRequestRedirectFilter redirect = ruleFilters.redirect();
    Action action;
    if (redirect == null) {
      action = action(namespace, rule, path, routeMatches, refProblems, clusters, invalid);
      if (action instanceof Action.Forward f) {
        action = new Action.Forward(f.clusters(), f.invalidWeight(),
            SessionTranslator.translateSession(rule.getSessionPersistence(),
                namespace + "/" + name + "/rule/" + index, path + ".sessionPersistence",
                invalid));
      }
    } else {
      if (rule.getBackendRefs() != null && !rule.getBackendRefs().isEmpty()) {
        invalid.unsupported(path + ".backendRefs",
            "A RequestRedirect filter must not be used together with backendRefs.");
      }
      action = RedirectTranslator.translateRedirect(redirect, routeMatches,
          ruleFilters.redirectPath(), invalid);
    }
    Timeouts timeouts = TimeoutTranslator.translateTimeouts(rule.getTimeouts(),
        path + ".timeouts", invalid);
    Retry retry = RetryTranslator.translateRetry(rule.getRetry(), path + ".retry", invalid);
    Problem dropped = invalid.first();
    if (dropped != null) {
      return new TranslatedRule.Dropped(index, dropped);
    }
    List<Route> routes = new ArrayList<>();
    for (int j = 0; j < routeMatches.size(); j++) {
      routes.add(new Route(namespace + "/" + name + "/rule/" + index + "/match/" + j,
          routeMatches.get(j), filters, action, timeouts, retry));
    }
    return new TranslatedRule.Kept(index, routes, List.copyOf(clusters.values()), refProblems);
  }

  private Action action(String namespace, HTTPRouteRule rule, String path,
      List<RouteMatch> matches, List<Problem> problems, Map<String, Cluster> clusters,
      RuleProblems invalid) {
    List<HTTPBackendRef> refs = rule.getBackendRefs() == null ? List.of() : rule.getBackendRefs();
    // Refs to the same cluster with the same filters share one entry; different filters do not.
    Map<Backend, Integer> weights = new LinkedHashMap<>();
    int invalidWeight = 0;
    for (int i = 0; i < refs.size(); i++) {
      String refPath = path + ".backendRefs[" + i + "]";
      HTTPBackendRef ref = refs.get(i);
      List<Filter> filters = backendFilters(ref, matches, refPath + ".filters", invalid);
      switch (backends.resolve(namespace, ref, refPath)) {
        case BackendResolution.Valid v -> {
          clusters.put(v.cluster().name(), v.cluster());
          weights.merge(new Backend(v.cluster().name(), filters), v.weight(), Integer::sum);
        }
        case BackendResolution.Invalid inv -> {
          problems.add(inv.problem());
          invalidWeight += inv.weight();
        }
      }
    }
    // No weight left for a valid backend: every request would get 500 anyway, so say it directly
    // (also covers "all weights zero" and "no backendRefs").
    if (weights.values().stream().mapToInt(Integer::intValue).sum() == 0) {
      return new Action.DirectResponse(noBackendStatus, "");
    }
    List<WeightedCluster> weighted = new ArrayList<>();
    weights.forEach((b, w) -> weighted.add(new WeightedCluster(b.cluster(), w, b.filters())));
    return new Action.Forward(weighted, invalidWeight);
  }

  /**
   * The filters of one backendRef (Gateway API: "executed if and only if the request is being
   * forwarded to the backend defined here"): header modifiers, a URLRewrite and a RequestRedirect,
   * whose path modifiers use the rule's matches as a rule's do. A CORS filter answers preflights
   * before any backend is chosen, so it is only supported on the rule.
   */
  private List<Filter> backendFilters(HTTPBackendRef ref, List<RouteMatch> matches,
      String path, RuleProblems invalid) {
    FilterTranslator.RuleFilters f = FilterTranslator.translateFilters(ref.getFilters(), path,
        invalid, backendFilterTypes);
    List<Filter> out = new ArrayList<>();
    for (Filter filter : f.filters()) {
      if (!(filter instanceof Filter.Cors)) {
        out.add(filter);
      }
    }
    List<HTTPRouteFilter> given = ref.getFilters() == null ? List.of() : ref.getFilters();
    for (int i = 0; i < given.size(); i++) {
      if ("CORS".equals(given.get(i).getType())) {
        invalid.unsupported(path + "[" + i + "].type", "A CORS filter is not supported on a"
            + " backendRef; put it on the rule.");
      }
    }
    if (f.urlRewrite() != null) {
      Filter rewrite = FilterTranslator.translateUrlRewrite(f.urlRewrite(), matches,
          f.urlRewritePath(), invalid);
      if (rewrite != null) {
        out.add(rewrite);
      }
    }
    if (f.redirect() != null) {
      out.add(new Filter.RequestRedirect(RedirectTranslator.translateRedirect(f.redirect(),
          matches, f.redirectPath(), invalid)));
    }
    return out;
  }

  private record Backend(String cluster, List<Filter> filters) {
  }
}
