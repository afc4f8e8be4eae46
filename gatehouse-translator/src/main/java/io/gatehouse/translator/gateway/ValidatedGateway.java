package io.gatehouse.translator.gateway;

import static java.util.Objects.requireNonNull;

import io.gatehouse.model.GatewayRef;
import io.gatehouse.translator.status.Problem;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A Gateway of one of our classes after validation.
 *
 * @param generation {@code metadata.generation}, or null when absent
 * @param address the IP address to bind, or null when none is assigned
 * @param listeners the listeners with a unique name, in spec order
 * @param problems Gateway-level problems (duplicate listener names)
 * @param rejection why the whole Gateway is not accepted (e.g. InvalidParameters), or null
 */
public record ValidatedGateway(GatewayRef ref, @Nullable Long generation,
    @Nullable String address, List<ValidatedListener> listeners, List<Problem> problems,
    @Nullable Problem rejection) {
  public ValidatedGateway {
    requireNonNull(ref, "ref");
    listeners = List.copyOf(listeners);
    problems = List.copyOf(problems);
  }

  /** The listener called {@code name}, if any. */
  public Optional<ValidatedListener> listener(String name) {
    return listeners.stream().filter(l -> l.name().equals(name)).findFirst();
  }

  /**
   * Whether the Gateway is served: it is accepted, has an address and a listener that can be
   * served.
   */
  public boolean programmed() {
    return rejection == null && address != null
        && listeners.stream().anyMatch(ValidatedListener::servable);
  }
}
