package io.gatehouse.translator.route;

import io.gatehouse.translator.Namespaces;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteStatusBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReference;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteParentStatus;
import io.gatehouse.model.Cluster;
import io.gatehouse.model.GatewayRef;
import io.gatehouse.translator.ObjectRef;
import io.gatehouse.translator.StatusUpdate;
import io.gatehouse.translator.backend.BackendResolver;
import io.gatehouse.translator.gateway.ListenerSets;
import io.gatehouse.translator.gateway.NamespaceSelector;
import io.gatehouse.translator.gateway.ValidatedGateway;
import io.gatehouse.translator.status.Problem;
import io.gatehouse.translator.status.Reason;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Translates one HTTPRoute: its rules into model routes ({@link RuleTranslator}), its parentRefs
 * into attachments ({@link RouteAttacher}), and a status entry per parentRef that names one of our
 * Gateways or ListenerSets, or one that does not exist at all (NoMatchingParent). ParentRefs to
 * Gateways (and ListenerSets of Gateways) of other controllers, and to other kinds, get no status
 * from us. A parentRef to a ListenerSet reaches only its listeners, one to a Gateway only the
 * Gateway's own: the status entry of each parentRef is scoped to that parent.
 */
public final class HTTPRouteTranslator {
  private static final String GATEWAY_GROUP = "gateway.networking.k8s.io";

  private final Map<GatewayRef, ValidatedGateway> ours;
  private final Set<GatewayRef> allGateways;
  private final RuleTranslator rules;
  private final RouteAttacher attacher;
  private final RouteStatusWriter statusWriter;
  private final ListenerSets listenerSets;

  public HTTPRouteTranslator(String controllerName, Map<GatewayRef, ValidatedGateway> ours,
      Set<GatewayRef> allGateways, BackendResolver backends, NamespaceSelector namespaces) {
    this(controllerName, ours, allGateways, ListenerSets.none(), backends, namespaces);
  }

  /** A translator that also attaches routes to the ListenerSets of {@code listenerSets}. */
  public HTTPRouteTranslator(String controllerName, Map<GatewayRef, ValidatedGateway> ours,
      Set<GatewayRef> allGateways, ListenerSets listenerSets, BackendResolver backends,
      NamespaceSelector namespaces) {
    this.ours = Map.copyOf(ours);
    this.allGateways = Set.copyOf(allGateways);
    this.listenerSets = listenerSets;
    this.rules = new RuleTranslator(backends);
    this.attacher = new RouteAttacher(this.ours, namespaces);
    this.statusWriter = new RouteStatusWriter(controllerName);
  }

  /** Translates {@code route}. */
  public TranslatedRoute translateRoute(HTTPRoute route) {
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
    List<Attachment> attachments = new ArrayList<>();
    List<RouteParentStatus> parents = new ArrayList<>();
    for (int i = 0; i < refs.size(); i++) {
      ParentReference ref = refs.get(i);
      ParentResult result = attach(ref, "spec.parentRefs[" + i + "]", ns, name, hostnames,
          ranked);
      if (result == null) {
        continue;
      }
      boolean accepted = result.rejection() == null && !ranked.isEmpty();
      if (accepted) {
        attachments.addAll(result.listeners());
      }
      parents.add(statusWriter.parentStatus(ref, result, translated,
          route.getMetadata().getGeneration()));
    }
    StatusUpdate status = parents.isEmpty()
        ? null
        : new StatusUpdate(new ObjectRef("HTTPRoute", ns, name),
            new HTTPRouteStatusBuilder().withParents(parents).build());
    return new TranslatedRoute(attachments, List.copyOf(clusters.values()), status);
  }

  /**
   * Attaches to the Gateway or ListenerSet {@code ref} names; null when that parent is not ours
   * (another controller's, or a kind we do not implement), which gets no status from us.
   */
  private @Nullable ParentResult attach(ParentReference ref, String path, String ns, String name,
      List<String> hostnames, List<RankedRoute> ranked) {
    String group = orDefault(ref.getGroup(), GATEWAY_GROUP);
    String kind = orDefault(ref.getKind(), "Gateway");
    String parentNs = orDefault(ref.getNamespace(), ns);
    String parentName = orDefault(ref.getName(), "");
    if (GATEWAY_GROUP.equals(group) && "ListenerSet".equals(kind)) {
      if (listenerSets.foreign(parentNs, parentName)) {
        return null;
      }
      return listenerSets.find(parentNs, parentName)
          .map(ls -> attacher.attach(ls, ref, path, ns, ns + "/" + name, hostnames, ranked))
          .orElseGet(() -> ParentResult.rejected(new Problem(Reason.NO_MATCHING_PARENT,
              path + ": ListenerSet \"" + parentNs + "/" + parentName + "\" not found.")));
    }
    if (!GATEWAY_GROUP.equals(group) || !"Gateway".equals(kind)) {
      return null;
    }
    GatewayRef target = new GatewayRef(parentNs, parentName);
    if (!ours.containsKey(target) && allGateways.contains(target)) {
      return null; // another controller's Gateway
    }
    return attacher.attach(target, ref, path, ns, ns + "/" + name, hostnames, ranked);
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

  private static String orDefault(String value, String fallback) {
    return value == null ? fallback : value;
  }
}
