package io.gatehouse.translator.gateway;

import static java.util.Objects.requireNonNull;

import io.gatehouse.model.GatewayRef;
import io.gatehouse.translator.ObjectRef;
import io.gatehouse.translator.status.Problem;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A ListenerSet whose parent is one of our Gateways (or does not exist), after validation of its
 * attachment and its listeners.
 *
 * @param ref kind ListenerSet, namespace and name
 * @param generation {@code metadata.generation}, or null when absent
 * @param parent the Gateway {@code spec.parentRef} names
 * @param rejection why it is not attached at all (NotAllowed, ParentNotAccepted), or null
 * @param listeners its listeners with a unique name, in spec order, under their own names; empty
 * when rejected
 * @param problems ListenerSet-level problems (duplicate listener names)
 */
public record ResolvedListenerSet(ObjectRef ref, @Nullable Long generation, GatewayRef parent,
    @Nullable Problem rejection, List<ValidatedListener> listeners, List<Problem> problems) {
  public ResolvedListenerSet {
    requireNonNull(ref, "ref");
    requireNonNull(parent, "parent");
    listeners = List.copyOf(listeners);
    problems = List.copyOf(problems);
  }

  /**
   * Whether it is attached to its parent: allowed there, with at least one listener that is
   * accepted, free of conflicts and has its references resolved (GEP-1713: a ListenerSet whose
   * listeners are all invalid is not accepted).
   */
  public boolean accepted() {
    return rejection == null && listeners.stream().anyMatch(ResolvedListenerSet::valid);
  }

  /** The listener called {@code name}, if any. */
  public Optional<ValidatedListener> listener(String name) {
    return listeners.stream().filter(l -> l.name().equals(name)).findFirst();
  }

  /**
   * The name under which {@code listener} joins the parent Gateway's listeners. Listener names
   * cannot contain {@code /}, so it never collides with a Gateway listener or with a listener of
   * another ListenerSet.
   */
  public String qualifiedName(String listener) {
    return ref + "/" + listener;
  }

  static boolean valid(ValidatedListener l) {
    return l.attachable() && l.certificateProblem() == null;
  }
}
