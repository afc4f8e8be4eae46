package io.gatehouse.translator.route;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReference;
import io.gatehouse.model.GatewayRef;
import io.gatehouse.translator.gateway.ListenerSets;
import io.gatehouse.translator.gateway.ValidatedGateway;
import io.gatehouse.translator.status.Problem;
import io.gatehouse.translator.status.Reason;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Attaches the parentRefs of one HTTPRoute or GRPCRoute: each that names one of our Gateways or
 * ListenerSets, or one that does not exist at all (NoMatchingParent), gets an outcome. ParentRefs
 * to Gateways (and ListenerSets of Gateways) of other controllers, and to other kinds, get none. A
 * parentRef to a ListenerSet reaches only its listeners, one to a Gateway only the Gateway's own.
 */
final class ParentResolver {
  private static final String GATEWAY_GROUP = "gateway.networking.k8s.io";

  private final Map<GatewayRef, ValidatedGateway> ours;
  private final Set<GatewayRef> allGateways;
  private final ListenerSets listenerSets;
  private final RouteAttacher attacher;

  ParentResolver(Map<GatewayRef, ValidatedGateway> ours, Set<GatewayRef> allGateways,
      ListenerSets listenerSets, RouteAttacher attacher) {
    this.ours = ours;
    this.allGateways = allGateways;
    this.listenerSets = listenerSets;
    this.attacher = attacher;
  }

  /**
   * The outcome of every parentRef of a route in namespace {@code ns} that gets status from us.
   *
   * @param routeName the name its attachments carry (see {@link Attachment#routeName()})
   */
  List<PendingRoute.Parent> attachAll(List<ParentReference> refs, String ns, String routeName,
      List<String> hostnames, List<RankedRoute> ranked) {
    List<PendingRoute.Parent> out = new ArrayList<>();
    for (int i = 0; i < refs.size(); i++) {
      ParentReference ref = refs.get(i);
      ParentResult result = attach(ref, "spec.parentRefs[" + i + "]", ns, routeName,
          hostnames, ranked);
      if (result != null) {
        out.add(new PendingRoute.Parent(i, ref, result));
      }
    }
    return out;
  }

  /**
   * Attaches to the Gateway or ListenerSet {@code ref} names; null when that parent is not ours
   * (another controller's, or a kind we do not implement), which gets no status from us.
   */
  private @Nullable ParentResult attach(ParentReference ref, String path, String ns,
      String routeName, List<String> hostnames, List<RankedRoute> ranked) {
    String group = orDefault(ref.getGroup(), GATEWAY_GROUP);
    String kind = orDefault(ref.getKind(), "Gateway");
    String parentNs = orDefault(ref.getNamespace(), ns);
    String parentName = orDefault(ref.getName(), "");
    if (GATEWAY_GROUP.equals(group) && "ListenerSet".equals(kind)) {
      if (listenerSets.foreign(parentNs, parentName)) {
        return null;
      }
      return listenerSets.find(parentNs, parentName)
          .map(ls -> attacher.attach(ls, ref, path, ns, routeName, hostnames, ranked))
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
    return attacher.attach(target, ref, path, ns, routeName, hostnames, ranked);
  }

  private static String orDefault(@Nullable String value, String fallback) {
    return value == null ? fallback : value;
  }
}
