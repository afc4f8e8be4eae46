package io.gatehouse.translator.route;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.BackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReference;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteParentStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.UDPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.UDPRouteRule;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.UDPRouteStatusBuilder;
import io.gatehouse.model.Action;
import io.gatehouse.model.Cluster;
import io.gatehouse.model.GatewayRef;
import io.gatehouse.model.PathMatch;
import io.gatehouse.model.Route;
import io.gatehouse.model.RouteMatch;
import io.gatehouse.model.WeightedCluster;
import io.gatehouse.translator.Namespaces;
import io.gatehouse.translator.ObjectRef;
import io.gatehouse.translator.StatusUpdate;
import io.gatehouse.translator.backend.BackendResolution;
import io.gatehouse.translator.backend.BackendResolver;
import io.gatehouse.translator.backend.ReferenceGrants.Kind;
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
 * Translates one UDPRoute. Its rule becomes one catch-all model route whose action forwards to the
 * weighted backends ({@link io.gatehouse.model.UdpListener} reads only that action); it attaches
 * through {@link RouteAttacher} to listeners whose kinds include UDPRoute (on any other listener:
 * NotAllowedByListeners). A UDPRoute has no matches to tell rules apart, so only
 * {@code spec.rules[0]} is served and later rules are dropped (PartiallyInvalid). Backends that do
 * not resolve keep their share of new sessions, whose datagrams are dropped. Which of several
 * routes on one listener carries the traffic is decided later, by the assembler: all of them are
 * Accepted.
 */
public final class UDPRouteTranslator {
  private static final String GATEWAY_GROUP = "gateway.networking.k8s.io";

  private final Map<GatewayRef, ValidatedGateway> ours;
  private final Set<GatewayRef> allGateways;
  private final ListenerSets listenerSets;
  private final BackendResolver backends;
  private final RouteAttacher attacher;
  private final RouteStatusWriter statusWriter;

  public UDPRouteTranslator(String controllerName, Map<GatewayRef, ValidatedGateway> ours,
      Set<GatewayRef> allGateways, ListenerSets listenerSets, BackendResolver backends,
      NamespaceSelector namespaces) {
    this.ours = Map.copyOf(ours);
    this.allGateways = Set.copyOf(allGateways);
    this.listenerSets = listenerSets;
    this.backends = backends;
    this.attacher = new RouteAttacher(this.ours, namespaces, Kind.UDP_ROUTE.kind());
    this.statusWriter = new RouteStatusWriter(controllerName);
  }

  /** Translates {@code route}. */
  public TranslatedRoute translateRoute(UDPRoute route) {
    String ns = Namespaces.of(route);
    String name = route.getMetadata().getName();
    List<UDPRouteRule> specRules = route.getSpec() == null || route.getSpec().getRules() == null
        || route.getSpec().getRules().isEmpty()
            ? List.of(new UDPRouteRule())
            : route.getSpec().getRules();
    List<TranslatedRule> rules = new ArrayList<>();
    rules.add(translateRule(ns, name, specRules.get(0)));
    for (int i = 1; i < specRules.size(); i++) {
      rules.add(new TranslatedRule.Dropped(i, new Problem(Reason.UNSUPPORTED_VALUE,
          "spec.rules[" + i + "]: A UDPRoute serves only its first rule.")));
    }
    TranslatedRule.Kept kept = (TranslatedRule.Kept) rules.get(0);
    List<RankedRoute> ranked = List.of(new RankedRoute(kept.routes().get(0),
        route.getMetadata().getCreationTimestamp(), ns + "/" + name, 0, 0));
    List<ParentReference> refs = route.getSpec() == null || route.getSpec().getParentRefs() == null
        ? List.of()
        : route.getSpec().getParentRefs();
    List<Attachment> attachments = new ArrayList<>();
    List<RouteParentStatus> parents = new ArrayList<>();
    for (int i = 0; i < refs.size(); i++) {
      ParentReference ref = refs.get(i);
      ParentResult result = attach(ref, "spec.parentRefs[" + i + "]", ns, name, ranked);
      if (result == null) {
        continue;
      }
      if (result.rejection() == null) {
        attachments.addAll(result.listeners());
      }
      parents.add(statusWriter.parentStatus(ref, result, rules,
          route.getMetadata().getGeneration()));
    }
    StatusUpdate status = parents.isEmpty()
        ? null
        : new StatusUpdate(new ObjectRef("UDPRoute", ns, name),
            new UDPRouteStatusBuilder().withParents(parents).build());
    return new TranslatedRoute(attachments, kept.clusters(), status);
  }

  /** The served rule: one catch-all route forwarding to the resolved backends. */
  private TranslatedRule translateRule(String ns, String name, UDPRouteRule rule) {
    List<BackendRef> refs = rule.getBackendRefs() == null ? List.of() : rule.getBackendRefs();
    Map<String, Integer> weights = new LinkedHashMap<>();
    Map<String, Cluster> clusters = new LinkedHashMap<>();
    List<Problem> problems = new ArrayList<>();
    int invalidWeight = 0;
    for (int i = 0; i < refs.size(); i++) {
      switch (backends.resolve(Kind.UDP_ROUTE, ns, refs.get(i),
          "spec.rules[0].backendRefs[" + i + "]")) {
        case BackendResolution.Valid v -> {
          clusters.put(v.cluster().name(), v.cluster());
          weights.merge(v.cluster().name(), v.weight(), Integer::sum);
        }
        case BackendResolution.Invalid inv -> {
          problems.add(inv.problem());
          invalidWeight += inv.weight();
        }
      }
    }
    List<WeightedCluster> weighted = new ArrayList<>();
    weights.forEach((cluster, w) -> weighted.add(new WeightedCluster(cluster, w)));
    // No weight left for a valid backend: every datagram would be dropped.
    Action action = weights.values().stream().mapToInt(Integer::intValue).sum() == 0
        ? new Action.DirectResponse(500, "")
        : new Action.Forward(weighted, invalidWeight);
    Route served = new Route(ns + "/" + name + "/rule/0", RouteMatch.of(new PathMatch.Prefix("/")),
        List.of(), action);
    return new TranslatedRule.Kept(0, List.of(served), List.copyOf(clusters.values()), problems);
  }

  /**
   * Attaches to the Gateway or ListenerSet {@code ref} names; null when that parent is not ours,
   * which gets no status from us.
   */
  private @Nullable ParentResult attach(ParentReference ref, String path, String ns, String name,
      List<RankedRoute> ranked) {
    String group = ref.getGroup() == null ? GATEWAY_GROUP : ref.getGroup();
    String kind = ref.getKind() == null ? "Gateway" : ref.getKind();
    String parentNs = ref.getNamespace() == null ? ns : ref.getNamespace();
    String parentName = ref.getName() == null ? "" : ref.getName();
    if (GATEWAY_GROUP.equals(group) && "ListenerSet".equals(kind)) {
      if (listenerSets.foreign(parentNs, parentName)) {
        return null;
      }
      return listenerSets.find(parentNs, parentName)
          .map(ls -> attacher.attach(ls, ref, path, ns, ns + "/" + name, List.of(), ranked))
          .orElseGet(() -> ParentResult.rejected(new Problem(Reason.NO_MATCHING_PARENT,
              path + ": ListenerSet \"" + parentNs + "/" + parentName + "\" not found.")));
    }
    if (!GATEWAY_GROUP.equals(group) || !"Gateway".equals(kind)) {
      return null;
    }
    GatewayRef target = new GatewayRef(parentNs, parentName);
    if (!ours.containsKey(target) && allGateways.contains(target)) {
      return null;
    }
    return attacher.attach(target, ref, path, ns, ns + "/" + name, List.of(), ranked);
  }
}
