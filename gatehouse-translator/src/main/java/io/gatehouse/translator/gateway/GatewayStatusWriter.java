package io.gatehouse.translator.gateway;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayStatusAddress;
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
    GatewayStatusBuilder status = new GatewayStatusBuilder();
    List<GatewayStatusAddress> addresses = addresses(gateway.addresses());
    if (gateway.rejection() == null && !addresses.isEmpty()) {
      status.withAddresses(addresses); // a rejected Gateway binds nothing
    }
    status.withConditions(accepted(gateway), programmed(gateway));
    List<ListenerStatus> listeners = new ArrayList<>();
    for (ValidatedListener l : gateway.listeners()) {
      listeners.add(new ListenerStatusBuilder().withName(l.name())
          .withSupportedKinds(l.supportedKinds())
          .withAttachedRoutes(attachedRoutes.getOrDefault(l.name(), 0))
          .withConditions(listenerConditions(l, gateway))
          .build());
    }
    GatewayStatus built = status.withListeners(listeners).build();
    return new StatusUpdate(
        new ObjectRef("Gateway", gateway.ref().namespace(), gateway.ref().name()), built);
  }

  private static Condition accepted(ValidatedGateway g) {
    Problem rejection = g.rejection();
    if (rejection != null) {
      return Conditions.of(ConditionType.ACCEPTED, false, rejection.reason(),
          rejection.message(), g.generation());
    }
    List<String> messages = Stream.concat(g.problems().stream(),
        g.listeners().stream()
            .flatMap(l -> Stream.of(l.notAccepted(), l.conflict(), l.invalidKinds(),
                l.certificateProblem()))
            .filter(p -> p != null))
        .map(Problem::message)
        .toList();
    boolean anyAttachable = g.listeners().stream().anyMatch(ValidatedListener::attachable);
    if (messages.isEmpty()) {
      return Conditions.of(ConditionType.ACCEPTED, anyAttachable || g.listeners().isEmpty(),
          Reason.ACCEPTED, "The Gateway is accepted.", g.generation());
    }
    // ListenersNotValid is True while some listener remains usable, False when none does.
    return Conditions.of(ConditionType.ACCEPTED, anyAttachable, Reason.LISTENERS_NOT_VALID,
        String.join(" ", messages), g.generation());
  }

  private static Condition programmed(ValidatedGateway g) {
    if (g.rejection() != null) {
      return Conditions.of(ConditionType.PROGRAMMED, false, Reason.INVALID,
          "The Gateway is not accepted.", g.generation());
    }
    GatewayAddresses addresses = g.addresses();
    if (!addresses.notUsable().isEmpty()) {
      String served = g.programmed()
          ? " The Gateway is served on " + String.join(", ", addresses.bound()) + " only."
          : "";
      return Conditions.of(ConditionType.PROGRAMMED, false, Reason.ADDRESS_NOT_USABLE,
          String.join(" ", addresses.notUsable().stream().map(Problem::message).toList())
              + served,
          g.generation());
    }
    Problem notAssigned = addresses.notAssigned();
    if (notAssigned != null) {
      return Conditions.of(ConditionType.PROGRAMMED, false, Reason.ADDRESS_NOT_ASSIGNED,
          notAssigned.message(), g.generation());
    }
    if (!g.programmed()) {
      return Conditions.of(ConditionType.PROGRAMMED, false, Reason.INVALID,
          "The Gateway has no valid listener.", g.generation());
    }
    return Conditions.of(ConditionType.PROGRAMMED, true, Reason.PROGRAMMED,
        "The Gateway is programmed on " + String.join(", ", g.addresses().bound()) + ".",
        g.generation());
  }

  /** The bound IP addresses, then the Hostname addresses, as {@code status.addresses}. */
  private static List<GatewayStatusAddress> addresses(GatewayAddresses addresses) {
    List<GatewayStatusAddress> out = new ArrayList<>();
    addresses.bound().forEach(a -> out.add(new GatewayStatusAddressBuilder()
        .withType(GatewayAddresses.IP_ADDRESS).withValue(a).build()));
    addresses.hostnames().forEach(h -> out.add(new GatewayStatusAddressBuilder()
        .withType(GatewayAddresses.HOSTNAME).withValue(h).build()));
    return out;
  }

  /**
   * Accepted, Programmed, ResolvedRefs and Conflicted. A conflicted listener is neither Accepted
   * nor Programmed, with the conflict's reason on all three (as the conformance suite expects,
   * ListenerSetProtocolConflict): its port is not configured at all.
   */
  private static List<Condition> listenerConditions(ValidatedListener l, ValidatedGateway g) {
    Long gen = g.generation();
    FrontendTls frontend = l.frontend();
    Problem na = l.notAccepted() != null ? l.notAccepted() : l.conflict();
    if (na == null && frontend != null) {
      na = frontend.noValid();
    }
    Problem refs = l.certificateProblem() != null ? l.certificateProblem() : l.invalidKinds();
    if (l.certificateProblem() == null && frontend != null && frontend.refProblem() != null) {
      refs = frontend.refProblem();
    }
    Problem conflict = l.conflict();
    return List.of(
        na == null
            ? Conditions.of(ConditionType.ACCEPTED, true, Reason.ACCEPTED,
                "The listener is accepted.", gen)
            : Conditions.of(ConditionType.ACCEPTED, false, na.reason(), na.message(), gen),
        programmed(l, g, gen),
        refs == null
            ? Conditions.of(ConditionType.RESOLVED_REFS, true, Reason.RESOLVED_REFS,
                "All references are resolved.", gen)
            : Conditions.of(ConditionType.RESOLVED_REFS, false, refs.reason(),
                refMessages(l), gen),
        conflict == null
            ? Conditions.of(ConditionType.CONFLICTED, false, Reason.NO_CONFLICTS,
                "The listener has no conflicts.", gen)
            : Conditions.of(ConditionType.CONFLICTED, true, conflict.reason(), conflict.message(),
                gen));
  }

  private static String refMessages(ValidatedListener l) {
    return String.join(" ", Stream.of(l.certificateProblem(),
        l.frontend() == null ? null : l.frontend().refProblem(), l.invalidKinds())
        .filter(p -> p != null)
        .map(Problem::message)
        .toList());
  }

  private static Condition programmed(ValidatedListener l, ValidatedGateway g, Long gen) {
    Problem conflict = l.conflict();
    if (conflict != null) {
      return Conditions.of(ConditionType.PROGRAMMED, false, conflict.reason(),
          "The listener conflicts with another listener and is not served.", gen);
    }
    if (!l.servable()) {
      return Conditions.of(ConditionType.PROGRAMMED, false, Reason.INVALID,
          "The listener is invalid and is not served.", gen);
    }
    if (g.rejection() != null) {
      return Conditions.of(ConditionType.PROGRAMMED, false, Reason.INVALID,
          "The Gateway is not accepted.", gen);
    }
    if (g.address() == null) {
      return Conditions.of(ConditionType.PROGRAMMED, false, Reason.INVALID,
          "The Gateway has no address.", gen);
    }
    return Conditions.of(ConditionType.PROGRAMMED, true, Reason.PROGRAMMED,
        "The listener is programmed.", gen);
  }
}
