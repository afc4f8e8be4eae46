package io.gatehouse.translator.route;

import io.gatehouse.translator.Namespaces;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteStatusBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReference;
import io.gatehouse.model.Cluster;
import io.gatehouse.model.GatewayRef;
import io.gatehouse.translator.ObjectRef;
import io.gatehouse.translator.backend.BackendResolver;
import io.gatehouse.translator.gateway.ListenerSets;
import io.gatehouse.translator.gateway.NamespaceSelector;
import io.gatehouse.translator.gateway.ValidatedGateway;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Translates one HTTPRoute: its rules into model routes ({@link RuleTranslator}), its parentRefs
 * into attachments ({@link ParentResolver}, {@link RouteAttacher}), and a status entry per
 * parentRef that names one of our Gateways or ListenerSets, or one that does not exist at all
 * (NoMatchingParent). ParentRefs to Gateways (and ListenerSets of Gateways) of other controllers,
 * and to other kinds, get no status from us. A parentRef to a ListenerSet reaches only its
 * listeners, one to a Gateway only the Gateway's own: the status entry of each parentRef is scoped
 * to that parent.
 */
public final class HTTPRouteTranslator {
  private final RuleTranslator rules;
  private final ParentResolver parents;
  private final RouteStatusWriter statusWriter;

  public HTTPRouteTranslator(String controllerName, Map<GatewayRef, ValidatedGateway> ours,
      Set<GatewayRef> allGateways, BackendResolver backends, NamespaceSelector namespaces) {
    this(controllerName, ours, allGateways, ListenerSets.none(), backends, namespaces);
  }

  /** A translator that also attaches routes to the ListenerSets of {@code listenerSets}. */
  public HTTPRouteTranslator(String controllerName, Map<GatewayRef, ValidatedGateway> ours,
      Set<GatewayRef> allGateways, ListenerSets listenerSets, BackendResolver backends,
      NamespaceSelector namespaces) {
    Map<GatewayRef, ValidatedGateway> gateways = Map.copyOf(ours);
    this.rules = new RuleTranslator(backends);
    this.parents = new ParentResolver(gateways, Set.copyOf(allGateways), listenerSets,
        new RouteAttacher(gateways, namespaces));
    this.statusWriter = new RouteStatusWriter(controllerName);
  }

  /** Translates {@code route}. */
  public TranslatedRoute translateRoute(HTTPRoute route) {
    return translatePending(route).finish();
  }

  /**
   * Translates {@code route} up to its status, which {@link PendingRoute#finish()} writes once
   * {@link KindConflicts} has settled which listeners it keeps.
   */
  public PendingRoute translatePending(HTTPRoute route) {
    String ns = Namespaces.of(route);
    String name = route.getMetadata().getName();
    List<TranslatedRule> translated = translateRules(route, ns, name);
    List<RankedRoute> ranked = new ArrayList<>();
    Map<String, Cluster> clusters = new LinkedHashMap<>();
    for (TranslatedRule r : translated) {
      if (r instanceof TranslatedRule.Kept k) {
        for (int j = 0; j < k.routes().size(); j++) {
          ranked.add(new RankedRoute(k.routes().get(j),
              route.getMetadata().getCreationTimestamp(), ns + "/" + name, k.index(), j));
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
    return new PendingRoute(new ObjectRef("HTTPRoute", ns, name),
        route.getMetadata().getCreationTimestamp(), route.getMetadata().getGeneration(),
        parents.attachAll(refs, ns, ns + "/" + name, hostnames, ranked), translated,
        !ranked.isEmpty(), List.copyOf(clusters.values()), statusWriter,
        entries -> new HTTPRouteStatusBuilder().withParents(entries).build());
  }

  private List<TranslatedRule> translateRules(HTTPRoute route, String ns, String name) {
    // The CRD defaults an absent rules list to one rule matching PathPrefix "/".
    List<HTTPRouteRule> specRules = route.getSpec() == null || route.getSpec().getRules() == null
        || route.getSpec().getRules().isEmpty()
            ? List.of(new HTTPRouteRule())
            : route.getSpec().getRules();
    List<TranslatedRule> out = new ArrayList<>();
    for (int i = 0; i < specRules.size(); i++) {
      out.add(rules.translateRule(ns, name, specRules.get(i), i));
    }
    return out;
  }
}
