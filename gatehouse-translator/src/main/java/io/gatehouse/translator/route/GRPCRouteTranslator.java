package io.gatehouse.translator.route;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCBackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCRouteFilter;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCRouteMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCRouteRule;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCRouteStatusBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRefBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteFilter;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteFilterBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRuleBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReference;
import io.gatehouse.model.Cluster;
import io.gatehouse.model.GatewayRef;
import io.gatehouse.model.RouteMatch;
import io.gatehouse.translator.Namespaces;
import io.gatehouse.translator.ObjectRef;
import io.gatehouse.translator.backend.BackendResolver;
import io.gatehouse.translator.gateway.ListenerSets;
import io.gatehouse.translator.gateway.NamespaceSelector;
import io.gatehouse.translator.gateway.ValidatedGateway;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Translates one GRPCRoute into the same model routes HTTPRoutes become, so the proxy serves it
 * unchanged: each match becomes a path match on {@code /<service>/<method>} plus header matches
 * ({@link GRPCMatchTranslator}), ranked by GRPCRoute precedence ({@link GrpcRank}). The rest of a
 * rule is read as an HTTPRoute rule by {@link RuleTranslator}, restricted to the filters GRPCRoute
 * defines: RequestHeaderModifier, ResponseHeaderModifier and RequestMirror on a rule, the two
 * header modifiers on a backendRef; ExtensionRef and anything else drop the rule
 * (UnsupportedValue). Backends are resolved with ReferenceGrants from GRPCRoute into h2c clusters
 * ({@link BackendResolver#forGrpc()}). A rule without any valid backend answers 503, which gRPC
 * clients read as UNAVAILABLE (the spec's status for that case). Parents, attachment and status
 * work as for HTTPRoute ({@link ParentResolver}, {@link RouteAttacher}, {@link RouteStatusWriter}),
 * on listeners whose kinds include GRPCRoute. A rule's {@code name} (GRPCRouteNamedRouteRule) is
 * accepted and does not change routing.
 */
public final class GRPCRouteTranslator {
  private static final String KIND = "GRPCRoute";
  private static final Set<String> RULE_FILTERS = Set.of("RequestHeaderModifier",
      "ResponseHeaderModifier", "RequestMirror");
  private static final Set<String> BACKEND_FILTERS = Set.of("RequestHeaderModifier",
      "ResponseHeaderModifier");
  /** Read by gRPC clients as UNAVAILABLE (gRPC's HTTP to status code mapping). */
  private static final int UNAVAILABLE = 503;

  private final RuleTranslator rules;
  private final ParentResolver parents;
  private final RouteStatusWriter statusWriter;

  public GRPCRouteTranslator(String controllerName, Map<GatewayRef, ValidatedGateway> ours,
      Set<GatewayRef> allGateways, ListenerSets listenerSets, BackendResolver backends,
      NamespaceSelector namespaces) {
    Map<GatewayRef, ValidatedGateway> gateways = Map.copyOf(ours);
    this.rules = new RuleTranslator(backends.forGrpc(), RULE_FILTERS, BACKEND_FILTERS,
        UNAVAILABLE);
    this.parents = new ParentResolver(gateways, Set.copyOf(allGateways), listenerSets,
        new RouteAttacher(gateways, namespaces, KIND));
    this.statusWriter = new RouteStatusWriter(controllerName);
  }

  /** Translates {@code route}, without regard to HTTPRoutes on the same listeners. */
  public TranslatedRoute translateRoute(GRPCRoute route) {
    return translatePending(route).finish();
  }

  /** Translates {@code route} up to its status (see {@link KindConflicts}). */
  public PendingRoute translatePending(GRPCRoute route) {
    String ns = Namespaces.of(route);
    String name = route.getMetadata().getName();
    String created = route.getMetadata().getCreationTimestamp();
    List<GRPCRouteRule> specRules = route.getSpec() == null || route.getSpec().getRules() == null
        || route.getSpec().getRules().isEmpty()
            ? List.of(new GRPCRouteRule()) // no rules: every gRPC request, like an empty rule
            : route.getSpec().getRules();
    List<TranslatedRule> translated = new ArrayList<>();
    List<RankedRoute> ranked = new ArrayList<>();
    Map<String, Cluster> clusters = new LinkedHashMap<>();
    for (int i = 0; i < specRules.size(); i++) {
      List<GRPCRouteMatch> matches = matches(specRules.get(i));
      TranslatedRule rule = translateRule(ns, name, specRules.get(i), i, matches);
      translated.add(rule);
      if (rule instanceof TranslatedRule.Kept k) {
        for (int j = 0; j < k.routes().size(); j++) {
          ranked.add(new RankedRoute(k.routes().get(j), created, ns + "/" + name, i, j,
              GRPCMatchTranslator.rank(matches.get(j))));
        }
        k.clusters().forEach(c -> clusters.put(c.name(), c));
      }
    }
    List<String> hostnames = route.getSpec() == null || route.getSpec().getHostnames() == null
        ? List.of()
        : route.getSpec().getHostnames();
    List<ParentReference> refs = route.getSpec() == null || route.getSpec().getParentRefs() == null
        ? List.of()
        : route.getSpec().getParentRefs();
    return new PendingRoute(new ObjectRef(KIND, ns, name), created,
        route.getMetadata().getGeneration(),
        parents.attachAll(refs, ns, KIND + "/" + ns + "/" + name, hostnames, ranked), translated,
        !ranked.isEmpty(), List.copyOf(clusters.values()), statusWriter,
        entries -> new GRPCRouteStatusBuilder().withParents(entries).build());
  }

  /** The rule's matches; one null (match everything) when it has none. */
  private static List<GRPCRouteMatch> matches(GRPCRouteRule rule) {
    return rule.getMatches() == null || rule.getMatches().isEmpty()
        ? Collections.singletonList(null)
        : rule.getMatches();
  }

  private TranslatedRule translateRule(String ns, String name, GRPCRouteRule rule, int index,
      List<GRPCRouteMatch> matches) {
    String path = "spec.rules[" + index + "]";
    return rules.translateRule(ns, name, asHttpRule(rule), index, invalid -> {
      List<RouteMatch> out = new ArrayList<>();
      for (int j = 0; j < matches.size(); j++) {
        out.add(GRPCMatchTranslator.translateMatch(matches.get(j),
            path + ".matches[" + j + "]", invalid));
      }
      return out;
    });
  }

  /**
   * The rule's filters, backendRefs and session persistence as an HTTPRoute rule (same field names
   * and types, so problems name the GRPCRoute's own fields); its matches are translated apart.
   */
  private static HTTPRouteRule asHttpRule(GRPCRouteRule rule) {
    List<HTTPBackendRef> backends = new ArrayList<>();
    if (rule.getBackendRefs() != null) {
      for (GRPCBackendRef b : rule.getBackendRefs()) {
        backends.add(new HTTPBackendRefBuilder().withGroup(b.getGroup()).withKind(b.getKind())
            .withNamespace(b.getNamespace()).withName(b.getName()).withPort(b.getPort())
            .withWeight(b.getWeight()).withFilters(asHttpFilters(b.getFilters())).build());
      }
    }
    return new HTTPRouteRuleBuilder().withName(rule.getName())
        .withFilters(asHttpFilters(rule.getFilters()))
        .withBackendRefs(backends)
        .withSessionPersistence(rule.getSessionPersistence())
        .build();
  }

  private static @Nullable List<HTTPRouteFilter> asHttpFilters(
      @Nullable List<GRPCRouteFilter> filters) {
    if (filters == null) {
      return null;
    }
    List<HTTPRouteFilter> out = new ArrayList<>();
    for (GRPCRouteFilter f : filters) {
      out.add(new HTTPRouteFilterBuilder().withType(f.getType())
          .withRequestHeaderModifier(f.getRequestHeaderModifier())
          .withResponseHeaderModifier(f.getResponseHeaderModifier())
          .withRequestMirror(f.getRequestMirror())
          .withExtensionRef(f.getExtensionRef())
          .build());
    }
    return out;
  }
}
