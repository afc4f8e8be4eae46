package io.gatehouse.translator.gateway;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteGroupKind;
import io.gatehouse.translator.status.Problem;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One Gateway listener after validation.
 *
 * @param index position in {@code spec.listeners}
 * @param hostname normalised: lower case, {@code *} when absent
 * @param supportedKinds the route kinds it accepts (empty when none is valid)
 * @param notAccepted why Accepted is False, or null
 * @param invalidKinds why ResolvedRefs is False, or null
 * @param conflict why Conflicted is True, or null
 * @param from {@code allowedRoutes.namespaces.from}: Same, All or Selector
 * @param selector the namespace selector when {@code from} is Selector
 */
public record ValidatedListener(int index, String name, int port, String protocol,
    String hostname, List<RouteGroupKind> supportedKinds, @Nullable Problem notAccepted,
    @Nullable Problem invalidKinds, @Nullable Problem conflict, String from,
    @Nullable LabelSelector selector) {
  public ValidatedListener {
    requireNonNull(name, "name");
    requireNonNull(hostname, "hostname");
    supportedKinds = List.copyOf(supportedKinds);
  }

  /** Whether routes may attach to it and it can be served. */
  public boolean routable() {
    return notAccepted == null && conflict == null && !supportedKinds.isEmpty();
  }

  /** Whether {@code allowedRoutes.namespaces} admits routes of {@code routeNamespace}. */
  public boolean admits(String routeNamespace, String gatewayNamespace,
      NamespaceSelector namespaces) {
    return switch (from) {
      case "All" -> true;
      case "Selector" -> selector != null && namespaces.matches(selector, routeNamespace);
      default -> routeNamespace.equals(gatewayNamespace);
    };
  }
}
