package io.gatehouse.translator.backend;

import io.gatehouse.translator.Namespaces;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ReferenceGrantFrom;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ReferenceGrantTo;
import io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Answers whether a ReferenceGrant in the target namespace allows a cross-namespace reference. A
 * grant applies when one {@code from} entry names the referring group, kind and namespace and one
 * {@code to} entry names the target group and kind, and either no name or the target's name.
 */
public final class ReferenceGrants {
  private final List<ReferenceGrant> grants;

  public ReferenceGrants(List<ReferenceGrant> grants) {
    this.grants = List.copyOf(grants);
  }

  /**
   * Whether {@code from} (group, kind, namespace) may refer to {@code to} in {@code toNamespace}.
   */
  public boolean permits(Kind from, String fromNamespace, Kind to, String toNamespace,
      String toName) {
    if (fromNamespace.equals(toNamespace)) {
      return true;
    }
    for (ReferenceGrant grant : grants) {
      if (grant.getMetadata() == null || !toNamespace.equals(Namespaces.of(grant))
          || grant.getSpec() == null) {
        continue;
      }
      if (anyFrom(grant.getSpec().getFrom(), from, fromNamespace)
          && anyTo(grant.getSpec().getTo(), to, toName)) {
        return true;
      }
    }
    return false;
  }

  private static boolean anyFrom(@Nullable List<ReferenceGrantFrom> entries, Kind from,
      String namespace) {
    return entries != null && entries.stream()
        .anyMatch(f -> from.matches(f.getGroup(), f.getKind())
            && namespace.equals(f.getNamespace()));
  }

  private static boolean anyTo(@Nullable List<ReferenceGrantTo> entries, Kind to, String name) {
    return entries != null && entries.stream()
        .anyMatch(t -> to.matches(t.getGroup(), t.getKind())
            && (t.getName() == null || t.getName().isEmpty() || Objects.equals(t.getName(), name)));
  }

  /** A group and kind; the core group is {@code ""}. */
  public record Kind(String group, String kind) {
    /** The HTTPRoute kind. */
    public static final Kind HTTP_ROUTE = new Kind("gateway.networking.k8s.io", "HTTPRoute");
    /** The GRPCRoute kind. */
    public static final Kind GRPC_ROUTE = new Kind("gateway.networking.k8s.io", "GRPCRoute");
    /** The TCPRoute kind. */
    public static final Kind TCP_ROUTE = new Kind("gateway.networking.k8s.io", "TCPRoute");
    /** The TLSRoute kind. */
    public static final Kind TLS_ROUTE = new Kind("gateway.networking.k8s.io", "TLSRoute");
    /** The UDPRoute kind. */
    public static final Kind UDP_ROUTE = new Kind("gateway.networking.k8s.io", "UDPRoute");
    /** The core Service kind. */
    public static final Kind SERVICE = new Kind("", "Service");
    /** Envoy Gateway's Backend kind. */
    public static final Kind BACKEND = new Kind("gateway.envoyproxy.io", "Backend");

    boolean matches(@Nullable String otherGroup, @Nullable String otherKind) {
      return group.equals(otherGroup == null ? "" : otherGroup) && kind.equals(otherKind);
    }
  }
}
