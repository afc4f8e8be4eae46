package io.gatehouse.translator.route;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.BackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReference;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteParentStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.TCPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.TCPRouteRule;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.TCPRouteStatusBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.TLSRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.TLSRouteRule;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.TLSRouteStatusBuilder;
import io.gatehouse.model.Cluster;
import io.gatehouse.model.GatewayRef;
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
 * Translates TCPRoutes and TLSRoutes: their backendRefs into weighted clusters (all rules together:
 * these routes have no matches, so every rule's backends share the connections), their parentRefs
 * into attachments to TCP or TLS listeners ({@link RouteAttacher}, which admits a route only where
 * its kind is supported), and a status entry per parentRef naming one of our Gateways or
 * ListenerSets. Every attached route is Accepted and counted, also when another route already
 * carries the listener's traffic; which one serves is decided when the listener is assembled.
 */
public final class L4RouteTranslator {
  public static final String TCP_ROUTE = Kind.TCP_ROUTE.kind();
  public static final String TLS_ROUTE = Kind.TLS_ROUTE.kind();
  private static final String GATEWAY_GROUP = "gateway.networking.k8s.io";

  private final Map<GatewayRef, ValidatedGateway> ours;
  private final Set<GatewayRef> allGateways;
  private final ListenerSets listenerSets;
  private final BackendResolver backends;
  private final NamespaceSelector namespaces;
  private final RouteStatusWriter statusWriter;

  public L4RouteTranslator(String controllerName, Map<GatewayRef, ValidatedGateway> ours,
      Set<GatewayRef> allGateways, ListenerSets listenerSets, BackendResolver backends,
      NamespaceSelector namespaces) {
    this.ours = Map.copyOf(ours);
    this.allGateways = Set.copyOf(allGateways);
    this.listenerSets = listenerSets;
    this.backends = backends;
    this.namespaces = namespaces;
    this.statusWriter = new RouteStatusWriter(controllerName);
  }

  /** Translates a TCPRoute. */
  public TranslatedL4Route translate(TCPRoute route) {
    var spec = route.getSpec();
    List<List<BackendRef>> rules = new ArrayList<>();
    if (spec != null && spec.getRules() != null) {
      for (TCPRouteRule r : spec.getRules()) {
        rules.add(r.getBackendRefs() == null ? List.of() : r.getBackendRefs());
      }
    }
    Translated t = translate(Kind.TCP_ROUTE, route, spec == null ? null : spec.getParentRefs(),
        List.of(), rules);
    return t.withStatus(parents -> new TCPRouteStatusBuilder().withParents(parents).build());
  }

  /** Translates a TLSRoute. */
  public TranslatedL4Route translate(TLSRoute route) {
    var spec = route.getSpec();
    List<List<BackendRef>> rules = new ArrayList<>();
    if (spec != null && spec.getRules() != null) {
      for (TLSRouteRule r : spec.getRules()) {
        rules.add(r.getBackendRefs() == null ? List.of() : r.getBackendRefs());
      }
    }
    List<String> hostnames = spec == null || spec.getHostnames() == null
        ? List.of()
        : spec.getHostnames();
    Translated t = translate(Kind.TLS_ROUTE, route, spec == null ? null : spec.getParentRefs(),
        hostnames, rules);
    return t.withStatus(parents -> new TLSRouteStatusBuilder().withParents(parents).build());
  }

  /** The parts common to both kinds, before the kind's own status type is built. */
  private record Translated(ObjectRef object, List<L4Attachment> l4, List<Attachment> attachments,
      List<Cluster> clusters, List<RouteParentStatus> parents) {
    TranslatedL4Route withStatus(java.util.function.Function<List<RouteParentStatus>, ?> status) {
      StatusUpdate update = parents.isEmpty()
          ? null
          : new StatusUpdate(object, status.apply(parents));
      return new TranslatedL4Route(new TranslatedRoute(attachments, clusters, update), l4);
    }
  }

  private Translated translate(Kind from, HasMetadata route,
      @Nullable List<ParentReference> parentRefs, List<String> hostnames,
      List<List<BackendRef>> rules) {
    String ns = Namespaces.of(route);
    String name = ns + "/" + route.getMetadata().getName();
    Map<String, Cluster> clusters = new LinkedHashMap<>();
    List<WeightedCluster> weighted = new ArrayList<>();
    List<TranslatedRule> translated = new ArrayList<>();
    int rejected = 0;
    for (int i = 0; i < rules.size(); i++) {
      List<Problem> refProblems = new ArrayList<>();
      List<Cluster> ruleClusters = new ArrayList<>();
      for (int j = 0; j < rules.get(i).size(); j++) {
        String path = "spec.rules[" + i + "].backendRefs[" + j + "]";
        switch (backends.resolve(from, ns, rules.get(i).get(j), path)) {
          case BackendResolution.Valid v -> {
            ruleClusters.add(v.cluster());
            clusters.put(v.cluster().name(), v.cluster());
            weighted.add(new WeightedCluster(v.cluster().name(), v.weight()));
          }
          case BackendResolution.Invalid inv -> {
            refProblems.add(inv.problem());
            rejected += inv.weight();
          }
        }
      }
      translated.add(new TranslatedRule.Kept(i, List.of(), ruleClusters, refProblems));
    }
    RouteAttacher attacher = new RouteAttacher(ours, namespaces, from.kind());
    List<ParentReference> refs = parentRefs == null ? List.of() : parentRefs;
    List<Attachment> attachments = new ArrayList<>();
    List<L4Attachment> l4 = new ArrayList<>();
    List<RouteParentStatus> parents = new ArrayList<>();
    String created = route.getMetadata().getCreationTimestamp();
    for (int i = 0; i < refs.size(); i++) {
      ParentReference ref = refs.get(i);
      ParentResult result = attach(attacher, ref, "spec.parentRefs[" + i + "]", ns, name,
          hostnames);
      if (result == null) {
        continue;
      }
      if (result.rejection() == null) {
        for (Attachment a : result.listeners()) {
          attachments.add(a);
          l4.add(
              new L4Attachment(a.gateway(), a.listener(), from.kind(), name, created, a.hostnames(),
                  weighted, rejected));
        }
      }
      parents.add(statusWriter.parentStatus(ref, result, translated,
          route.getMetadata().getGeneration()));
    }
    return new Translated(new ObjectRef(from.kind(), ns, route.getMetadata().getName()), l4,
        attachments, List.copyOf(clusters.values()), parents);
  }

  /**
   * Attaches to the Gateway or ListenerSet {@code ref} names; null when that parent is not ours,
   * which gets no status from us (as for HTTPRoutes).
   */
  private @Nullable ParentResult attach(RouteAttacher attacher, ParentReference ref, String path,
      String ns, String name, List<String> hostnames) {
    String group = ref.getGroup() == null ? GATEWAY_GROUP : ref.getGroup();
    String kind = ref.getKind() == null ? "Gateway" : ref.getKind();
    String parentNs = ref.getNamespace() == null ? ns : ref.getNamespace();
    String parentName = ref.getName() == null ? "" : ref.getName();
    if (GATEWAY_GROUP.equals(group) && "ListenerSet".equals(kind)) {
      if (listenerSets.foreign(parentNs, parentName)) {
        return null;
      }
      return listenerSets.find(parentNs, parentName)
          .map(ls -> attacher.attach(ls, ref, path, ns, name, hostnames, List.of()))
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
    return attacher.attach(target, ref, path, ns, name, hostnames, List.of());
  }
}
