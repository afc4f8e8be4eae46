package io.gatehouse.translator.gateway;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerEntryStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerEntryStatusBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerSetStatusBuilder;
import io.gatehouse.translator.StatusUpdate;
import io.gatehouse.translator.status.ConditionType;
import io.gatehouse.translator.status.Conditions;
import io.gatehouse.translator.status.Problem;
import io.gatehouse.translator.status.Reason;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Writes a ListenerSet's status: Accepted and Programmed, and per listener its supported kinds,
 * attached route count and Accepted, Programmed, ResolvedRefs and Conflicted, with the same meaning
 * as for a Gateway listener. A rejected ListenerSet (NotAllowed, ParentNotAccepted) has both
 * conditions False with that reason and no listener status; one whose listeners are all invalid is
 * ListenersNotValid on both.
 */
final class ListenerSetStatusWriter {
  private ListenerSetStatusWriter() {
  }

  /**
   * The status of {@code ls}; {@code parent} is its Gateway when that is ours, and
   * {@code attachedRoutes} is keyed by qualified listener name.
   */
  static StatusUpdate writeStatus(ResolvedListenerSet ls, @Nullable ValidatedGateway parent,
      Map<String, Integer> attachedRoutes) {
    Long gen = ls.generation();
    ListenerSetStatusBuilder status = new ListenerSetStatusBuilder();
    Problem rejection = ls.rejection();
    if (rejection != null || parent == null) {
      Problem p = rejection != null
          ? rejection
          : new Problem(Reason.PARENT_NOT_ACCEPTED, "spec.parentRef: No parent Gateway.");
      status.withConditions(
          Conditions.of(ConditionType.ACCEPTED, false, p.reason(), p.message(), gen),
          Conditions.of(ConditionType.PROGRAMMED, false, p.reason(), p.message(), gen));
      return new StatusUpdate(ls.ref(), status.build());
    }
    status.withConditions(accepted(ls), programmed(ls, parent));
    List<ListenerEntryStatus> listeners = new ArrayList<>();
    for (ValidatedListener l : ls.listeners()) {
      listeners.add(new ListenerEntryStatusBuilder().withName(l.name())
          .withSupportedKinds(l.supportedKinds())
          .withAttachedRoutes(attachedRoutes.getOrDefault(ls.qualifiedName(l.name()), 0))
          .withConditions(listenerConditions(l, parent, gen))
          .build());
    }
    return new StatusUpdate(ls.ref(), status.withListeners(listeners).build());
  }

  private static Condition accepted(ResolvedListenerSet ls) {
    List<String> messages = problems(ls).map(Problem::message).toList();
    if (!ls.accepted()) {
      String message = messages.isEmpty()
          ? "spec.listeners: The ListenerSet has no valid listener."
          : String.join(" ", messages);
      return Conditions.of(ConditionType.ACCEPTED, false, Reason.LISTENERS_NOT_VALID, message,
          ls.generation());
    }
    return messages.isEmpty()
        ? Conditions.of(ConditionType.ACCEPTED, true, Reason.ACCEPTED,
            "The ListenerSet is accepted.", ls.generation())
        : Conditions.of(ConditionType.ACCEPTED, true, Reason.LISTENERS_NOT_VALID,
            String.join(" ", messages), ls.generation());
  }

  private static Condition programmed(ResolvedListenerSet ls, ValidatedGateway parent) {
    if (!ls.accepted()) {
      return Conditions.of(ConditionType.PROGRAMMED, false, Reason.LISTENERS_NOT_VALID,
          "The ListenerSet has no valid listener.", ls.generation());
    }
    if (parent.address() == null) {
      return Conditions.of(ConditionType.PROGRAMMED, false, Reason.INVALID,
          "The parent Gateway has no address.", ls.generation());
    }
    boolean served = ls.listeners().stream().anyMatch(ValidatedListener::servable);
    return served
        ? Conditions.of(ConditionType.PROGRAMMED, true, Reason.PROGRAMMED,
            "The ListenerSet is programmed on " + parent.address() + ".", ls.generation())
        : Conditions.of(ConditionType.PROGRAMMED, false, Reason.INVALID,
            "The ListenerSet has no listener that can be served.", ls.generation());
  }

  private static Stream<Problem> problems(ResolvedListenerSet ls) {
    return Stream.concat(ls.problems().stream(), ls.listeners().stream()
        .flatMap(l -> Stream.of(l.notAccepted(), l.conflict(), l.invalidKinds(),
            l.certificateProblem()))
        .filter(p -> p != null));
  }

  /** As for a Gateway listener: a conflict's reason on Accepted, Programmed and Conflicted. */
  private static List<Condition> listenerConditions(ValidatedListener l, ValidatedGateway parent,
      @Nullable Long gen) {
    Problem na = l.notAccepted() != null ? l.notAccepted() : l.conflict();
    Problem conflict = l.conflict();
    List<Problem> refs = Stream.of(l.certificateProblem(), l.invalidKinds())
        .filter(p -> p != null)
        .toList();
    return List.of(
        na == null
            ? Conditions.of(ConditionType.ACCEPTED, true, Reason.ACCEPTED,
                "The listener is accepted.", gen)
            : Conditions.of(ConditionType.ACCEPTED, false, na.reason(), na.message(), gen),
        listenerProgrammed(l, parent, gen),
        refs.isEmpty()
            ? Conditions.of(ConditionType.RESOLVED_REFS, true, Reason.RESOLVED_REFS,
                "All references are resolved.", gen)
            : Conditions.of(ConditionType.RESOLVED_REFS, false, refs.get(0).reason(),
                String.join(" ", refs.stream().map(Problem::message).toList()), gen),
        conflict == null
            ? Conditions.of(ConditionType.CONFLICTED, false, Reason.NO_CONFLICTS,
                "The listener has no conflicts.", gen)
            : Conditions.of(ConditionType.CONFLICTED, true, conflict.reason(), conflict.message(),
                gen));
  }

  private static Condition listenerProgrammed(ValidatedListener l, ValidatedGateway parent,
      @Nullable Long gen) {
    Problem conflict = l.conflict();
    if (conflict != null) {
      return Conditions.of(ConditionType.PROGRAMMED, false, conflict.reason(),
          "The listener conflicts with a listener of higher precedence and is not served.", gen);
    }
    if (!l.servable()) {
      return Conditions.of(ConditionType.PROGRAMMED, false, Reason.INVALID,
          "The listener is invalid and is not served.", gen);
    }
    if (parent.address() == null) {
      return Conditions.of(ConditionType.PROGRAMMED, false, Reason.INVALID,
          "The parent Gateway has no address.", gen);
    }
    return Conditions.of(ConditionType.PROGRAMMED, true, Reason.PROGRAMMED,
        "The listener is programmed.", gen);
  }
}
