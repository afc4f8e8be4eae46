package io.gatehouse.translator.gateway;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayStatusAddressBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayStatusBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerStatusBuilder;
import io.gatehouse.translator.ObjectRef;
import io.gatehouse.translator.StatusUpdate;
import io.gatehouse.translator.status.ConditionType;
import io.gatehouse.translator.status.Conditions;
import io.gatehouse.translator.status.Problem;
import io.gatehouse.translator.status.Reason;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Writes a Gateway's status: addresses, the Accepted and Programmed conditions, and per listener
 * its supported kinds, attached route count and Accepted, Programmed, ResolvedRefs and Conflicted.
 */
public final class GatewayStatusWriter {
  private GatewayStatusWriter() {
  }

  /** The status of {@code gateway}; {@code attachedRoutes} is keyed by listener name. */
  public static StatusUpdate writeStatus(ValidatedGateway gateway,
      Map<String, Integer> attachedRoutes) {
    Long gen = gateway.generation();
    GatewayStatusBuilder status = new GatewayStatusBuilder();
    if (gateway.address() != null) {
      status.withAddresses(new GatewayStatusAddressBuilder().withType("IPAddress")
          .withValue(gateway.address())
          .build());
    }
    status.withConditions(accepted(gateway), programmed(gateway));
    List<ListenerStatus> listeners = new ArrayList<>();
    for (ValidatedListener l : gateway.listeners()) {
      listeners.add(new ListenerStatusBuilder().withName(l.name())
          .withSupportedKinds(l.supportedKinds())
          .withAttachedRoutes(attachedRoutes.getOrDefault(l.name(), 0))
          .withConditions(listenerConditions(l, gateway.address() != null, gen))
          .build());
    }
    GatewayStatus built = status.withListeners(listeners).build();
    return new StatusUpdate(
        new ObjectRef("Gateway", gateway.ref().namespace(), gateway.ref().name()), built);
  }

  private static Condition accepted(ValidatedGateway g) {
    List<String> messages = Stream.concat(g.problems().stream(),
        g.listeners().stream()
            .flatMap(l -> Stream.of(l.notAccepted(), l.conflict(), l.invalidKinds()))
            .filter(p -> p != null))
        .map(Problem::message)
        .toList();
    boolean anyRoutable = g.listeners().stream().anyMatch(ValidatedListener::routable);
    if (messages.isEmpty()) {
      return Conditions.of(ConditionType.ACCEPTED, anyRoutable || g.listeners().isEmpty(),
          Reason.ACCEPTED, "The Gateway is accepted.", g.generation());
    }
    return Conditions.of(ConditionType.ACCEPTED, anyRoutable, Reason.LISTENERS_NOT_VALID,
        String.join(" ", messages), g.generation());
  }

  private static Condition programmed(ValidatedGateway g) {
    if (g.address() == null) {
      return Conditions.of(ConditionType.PROGRAMMED, false, Reason.ADDRESS_NOT_ASSIGNED,
          "No address is assigned to the Gateway.", g.generation());
    }
    if (!g.programmed()) {
      return Conditions.of(ConditionType.PROGRAMMED, false, Reason.INVALID,
          "The Gateway has no valid listener.", g.generation());
    }
    return Conditions.of(ConditionType.PROGRAMMED, true, Reason.PROGRAMMED,
        "The Gateway is programmed on " + g.address() + ".", g.generation());
  }

  private static List<Condition> listenerConditions(ValidatedListener l, boolean hasAddress,
      Long gen) {
    Problem na = l.notAccepted();
    Problem kinds = l.invalidKinds();
    Problem conflict = l.conflict();
    return List.of(
        na == null
            ? Conditions.of(ConditionType.ACCEPTED, true, Reason.ACCEPTED,
                "The listener is accepted.", gen)
            : Conditions.of(ConditionType.ACCEPTED, false, na.reason(), na.message(), gen),
        programmed(l, hasAddress, gen),
        kinds == null
            ? Conditions.of(ConditionType.RESOLVED_REFS, true, Reason.RESOLVED_REFS,
                "All references are resolved.", gen)
            : Conditions.of(ConditionType.RESOLVED_REFS, false, kinds.reason(), kinds.message(),
                gen),
        conflict == null
            ? Conditions.of(ConditionType.CONFLICTED, false, Reason.NO_CONFLICTS,
                "The listener has no conflicts.", gen)
            : Conditions.of(ConditionType.CONFLICTED, true, conflict.reason(), conflict.message(),
                gen));
  }

  private static Condition programmed(ValidatedListener l, boolean hasAddress, Long gen) {
    if (!l.routable()) {
      return Conditions.of(ConditionType.PROGRAMMED, false, Reason.INVALID,
          "The listener is invalid and is not served.", gen);
    }
    if (!hasAddress) {
      return Conditions.of(ConditionType.PROGRAMMED, false, Reason.INVALID,
          "The Gateway has no address.", gen);
    }
    return Conditions.of(ConditionType.PROGRAMMED, true, Reason.PROGRAMMED,
        "The listener is programmed.", gen);
  }
}
