package io.gatehouse.translator.route;

import static java.util.Objects.requireNonNull;

import io.gatehouse.model.GatewayRef;
import io.gatehouse.model.WeightedCluster;
import java.util.Comparator;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A TCPRoute or TLSRoute attached to one listener of one Gateway, with where its connections go.
 *
 * @param kind {@code TCPRoute} or {@code TLSRoute}
 * @param routeName {@code namespace/name} of the route
 * @param creationTimestamp the route's RFC 3339 creation time, or null when unknown
 * @param hostnames the listener hostname intersected with the route hostnames ({@code *} for TCP)
 * @param backends the resolved backendRefs of all rules with their weights
 * @param rejectedWeight the summed weight of the backendRefs that could not be resolved
 */
public record L4Attachment(GatewayRef gateway, String listener, String kind, String routeName,
    @Nullable String creationTimestamp, List<String> hostnames, List<WeightedCluster> backends,
    int rejectedWeight) {
  /**
   * Oldest first, then by {@code namespace/name}: the order in which routes that compete for one
   * TCP listener or one SNI name win (Gateway API conflict resolution).
   */
  public static final Comparator<L4Attachment> OLDEST_FIRST = Comparator
      .comparing(L4Attachment::creationTimestamp, Comparator.nullsLast(Comparator.naturalOrder()))
      .thenComparing(L4Attachment::routeName);

  public L4Attachment {
    requireNonNull(gateway, "gateway");
    requireNonNull(listener, "listener");
    requireNonNull(kind, "kind");
    requireNonNull(routeName, "routeName");
    hostnames = List.copyOf(hostnames);
    backends = List.copyOf(backends);
  }
}
