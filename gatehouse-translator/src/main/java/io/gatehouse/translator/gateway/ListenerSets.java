package io.gatehouse.translator.gateway;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayStatusBuilder;
import io.gatehouse.model.GatewayRef;
import io.gatehouse.translator.StatusUpdate;
import io.gatehouse.translator.status.ConditionType;
import io.gatehouse.translator.status.Conditions;
import io.gatehouse.translator.status.Reason;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The ListenerSets of one snapshot, resolved ({@link ListenerSetResolver}): what routes attach to,
 * what each Gateway serves in addition to its own listeners, and the status effects on Gateways.
 */
public final class ListenerSets {
  private final List<ResolvedListenerSet> resolved;
  private final Set<String> foreign;
  private final Map<GatewayRef, String> allowedFrom;

  ListenerSets(List<ResolvedListenerSet> resolved, Set<String> foreign,
      Map<GatewayRef, String> allowedFrom) {
    this.resolved = List.copyOf(resolved);
    this.foreign = Set.copyOf(foreign);
    this.allowedFrom = Map.copyOf(allowedFrom);
  }

  /** No ListenerSets at all. */
  public static ListenerSets none() {
    return new ListenerSets(List.of(), Set.of(), Map.of());
  }

  /** The ListenerSet {@code namespace/name} if its parent is ours or missing. */
  public Optional<ResolvedListenerSet> find(String namespace, String name) {
    return resolved.stream()
        .filter(r -> r.ref().namespace().equals(namespace) && r.ref().name().equals(name))
        .findFirst();
  }

  /** Whether {@code namespace/name} exists but belongs to another controller's Gateway. */
  public boolean foreign(String namespace, String name) {
    return foreign.contains(namespace + "/" + name);
  }

  /** Every resolved ListenerSet, in precedence order. */
  public List<ResolvedListenerSet> all() {
    return resolved;
  }

  /**
   * {@code gateway} with the listeners of its attached ListenerSets appended under their qualified
   * names, in precedence order: what its data plane serves.
   */
  public ValidatedGateway merge(ValidatedGateway gateway) {
    List<ValidatedListener> listeners = new ArrayList<>(gateway.listeners());
    for (ResolvedListenerSet ls : attached(gateway.ref())) {
      for (ValidatedListener l : ls.listeners()) {
        listeners.add(new ValidatedListener(l.index(), ls.qualifiedName(l.name()), l.port(),
            l.protocol(), l.hostname(), l.supportedKinds(), l.notAccepted(), l.invalidKinds(),
            l.conflict(), l.from(), l.selector(), l.certificate(), l.certificateProblem(),
            null, l.tlsMode()));
      }
    }
    return new ValidatedGateway(gateway.ref(), gateway.generation(), gateway.addresses(),
        listeners, gateway.problems(), gateway.rejection());
  }

  /**
   * {@code status} (a Gateway's) with {@code status.attachedListenerSets} and the
   * AttachedListenerSets condition, when the Gateway allows ListenerSets or some ListenerSet names
   * it; unchanged otherwise.
   */
  public StatusUpdate addToGatewayStatus(StatusUpdate status, ValidatedGateway gateway) {
    String from = allowedFrom.getOrDefault(gateway.ref(), "None");
    boolean targeted = resolved.stream().anyMatch(r -> r.parent().equals(gateway.ref()));
    if (from.equals("None") && !targeted) {
      return status;
    }
    int count = attached(gateway.ref()).size();
    Condition condition;
    if (count > 0) {
      condition = Conditions.of(ConditionType.ATTACHED_LISTENER_SETS, true,
          Reason.LISTENER_SETS_ATTACHED, count + " ListenerSet(s) attached.",
          gateway.generation());
    } else if (from.equals("None")) {
      condition = Conditions.of(ConditionType.ATTACHED_LISTENER_SETS, false,
          Reason.LISTENER_SETS_NOT_ALLOWED,
          "spec.allowedListeners: The Gateway allows no ListenerSets.", gateway.generation());
    } else {
      condition = Conditions.of(ConditionType.ATTACHED_LISTENER_SETS, false,
          Reason.NO_LISTENER_SETS_ATTACHED, "No ListenerSet is attached.", gateway.generation());
    }
    GatewayStatus built = new GatewayStatusBuilder((GatewayStatus) status.status())
        .withAttachedListenerSets(count)
        .addToConditions(condition)
        .build();
    return new StatusUpdate(status.object(), built);
  }

  /** The status of every resolved ListenerSet; {@code attachedRoutes} as for Gateways. */
  public List<StatusUpdate> statuses(Map<GatewayRef, ValidatedGateway> gateways,
      Map<GatewayRef, Map<String, Integer>> attachedRoutes) {
    return resolved.stream()
        .map(r -> ListenerSetStatusWriter.writeStatus(r, gateways.get(r.parent()),
            attachedRoutes.getOrDefault(r.parent(), Map.of())))
        .toList();
  }

  private List<ResolvedListenerSet> attached(GatewayRef gateway) {
    return resolved.stream()
        .filter(r -> r.parent().equals(gateway) && r.accepted())
        .toList();
  }
}
