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
 * @param addresses the addresses requested, bound and reported ({@link GatewayAddresses})
 * @param listeners the listeners with a unique name, in spec order
 * @param problems Gateway-level problems (duplicate listener names)
 * @param rejection why the whole Gateway is not accepted (e.g. InvalidParameters), or null
 */
public record ValidatedGateway(GatewayRef ref, @Nullable Long generation,
    GatewayAddresses addresses, List<ValidatedListener> listeners, List<Problem> problems,
    @Nullable Problem rejection) {
  public ValidatedGateway {
    requireNonNull(ref, "ref");
    requireNonNull(addresses, "addresses");
    listeners = List.copyOf(listeners);
    problems = List.copyOf(problems);
  }

  /** The first address the listeners bind, or null when none is assigned. */
  public @Nullable String address() {
    return addresses.first();
  }

  /** The listener called {@code name}, if any. */
  public Optional<ValidatedListener> listener(String name) {
    return listeners.stream().filter(l -> l.name().equals(name)).findFirst();
  }

  /**
   * Whether the Gateway is served: it is accepted, has an address and a listener that can be
   * served. A Gateway with some unusable addresses is served on the others, though its Programmed
   * condition is False.
   */
  public boolean programmed() {
    return rejection == null && address() != null
        && listeners.stream().anyMatch(ValidatedListener::servable);
  }
}
