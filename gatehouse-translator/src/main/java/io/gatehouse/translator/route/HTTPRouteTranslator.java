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
import io.gatehouse.translator.gateway.NamespaceSelector;
import io.gatehouse.translator.gateway.ValidatedGateway;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Translates one HTTPRoute: its rules into model routes ({@link RuleTranslator}), its parentRefs
 * into attachments ({@link RouteAttacher}), and a status entry per parentRef that names one of our
 * Gateways, or a Gateway that does not exist at all (NoMatchingParent). ParentRefs to Gateways of
 * other controllers, and to kinds other than Gateway, get no status from us.
 */
public final class HTTPRouteTranslator {
  private static final String GATEWAY_GROUP = "gateway.networking.k8s.io";

  private final Map<GatewayRef, ValidatedGateway> ours;
  private final Set<GatewayRef> allGateways;
  private final RuleTranslator rules;
  private final RouteAttacher attacher;
  private final RouteStatusWriter statusWriter;

  public HTTPRouteTranslator(String controllerName, Map<GatewayRef, ValidatedGateway> ours,
      Set<GatewayRef> allGateways, BackendResolver backends, NamespaceSelector namespaces) {
    this.ours = Map.copyOf(ours);
    this.allGateways = Set.copyOf(allGateways);
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
      if (!GATEWAY_GROUP.equals(orDefault(ref.getGroup(), GATEWAY_GROUP))
          || !"Gateway".equals(orDefault(ref.getKind(), "Gateway"))) {
        continue;
      }
      GatewayRef target = new GatewayRef(orDefault(ref.getNamespace(), ns),
          orDefault(ref.getName(), ""));
      if (!ours.containsKey(target) && allGateways.contains(target)) {
        continue; // another controller's Gateway
      }
      ParentResult result = attacher.attach(target, ref, "spec.parentRefs[" + i + "]", ns,
          ns + "/" + name, hostnames, ranked);
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
