package io.gatehouse.translator.backend;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.BackendObjectReference;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.BackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRef;
import io.gatehouse.translator.ResourceSnapshot;
import io.gatehouse.translator.backend.ReferenceGrants.Kind;
import io.gatehouse.translator.status.Problem;
import io.gatehouse.translator.status.Reason;
import org.jspecify.annotations.Nullable;

/**
 * Resolves one backendRef of a route: checks its kind and the ReferenceGrant a cross-namespace
 * reference needs, then hands it to {@link ServiceClusters} or {@link EnvoyBackendClusters}.
 */
public final class BackendResolver {
  private final ReferenceGrants grants;
  private final ServiceClusters services;
  private final EnvoyBackendClusters backends;
  /**
   * The kind whose backendRefs and mirrors {@link #resolve(String, HTTPBackendRef, String)} reads.
   */
  private final Kind routeKind;
  /** Whether the clusters must speak h2c whatever the Service says (GRPCRoute). */
  private final boolean h2c;

  public BackendResolver(ResourceSnapshot snapshot) {
    this(new ReferenceGrants(snapshot.referenceGrants()),
        new ServiceClusters(snapshot.services(), snapshot.endpointSlices()),
        new EnvoyBackendClusters(snapshot.backends()), Kind.HTTP_ROUTE, false);
  }

  private BackendResolver(ReferenceGrants grants, ServiceClusters services,
      EnvoyBackendClusters backends, Kind routeKind, boolean h2c) {
    this.grants = grants;
    this.services = services;
    this.backends = backends;
    this.routeKind = routeKind;
    this.h2c = h2c;
  }

  /**
   * A resolver for the backendRefs and mirrors of GRPCRoutes: the ReferenceGrants that apply are
   * those from GRPCRoute, and every cluster speaks h2c (gRPC is HTTP/2), whatever the Service
   * port's appProtocol says. Shares this resolver's cluster cache.
   */
  public BackendResolver forGrpc() {
    return new BackendResolver(grants, services, backends, Kind.GRPC_ROUTE, true);
  }

  /**
   * Resolves {@code ref}, written at {@code path} (e.g. {@code spec.rules[0].backendRefs[1]}) in a
   * route of {@code routeNamespace}.
   */
  public BackendResolution resolve(String routeNamespace, HTTPBackendRef ref, String path) {
    int weight = ref.getWeight() == null ? 1 : Math.max(0, ref.getWeight());
    return resolve(routeKind, routeNamespace, ref.getGroup(), ref.getKind(),
        ref.getNamespace(), ref.getName(), ref.getPort(), weight, path);
  }

  /**
   * Resolves a plain backendRef (TCPRoute, TLSRoute, UDPRoute) of a route of kind {@code from}: the
   * ReferenceGrants that apply are those that name {@code from}.
   */
  public BackendResolution resolve(Kind from, String routeNamespace, BackendRef ref,
      String path) {
    int weight = ref.getWeight() == null ? 1 : Math.max(0, ref.getWeight());
    return resolve(from, routeNamespace, ref.getGroup(), ref.getKind(), ref.getNamespace(),
        ref.getName(), ref.getPort(), weight, path);
  }

  /**
   * Resolves a plain object reference, such as a RequestMirror filter's {@code backendRef}, with
   * the same rules as a backendRef; the result has weight 1.
   */
  public BackendResolution resolve(String routeNamespace, BackendObjectReference ref,
      String path) {
    return resolve(routeKind, routeNamespace, ref.getGroup(), ref.getKind(),
        ref.getNamespace(), ref.getName(), ref.getPort(), 1, path);
  }

  private BackendResolution resolve(Kind from, String routeNamespace, @Nullable String group,
      @Nullable String kindName, @Nullable String refNamespace, @Nullable String refName,
      @Nullable Integer port, int weight, String path) {
    Kind kind = new Kind(group == null ? "" : group, kindName == null ? "Service" : kindName);
    String namespace = refNamespace == null ? routeNamespace : refNamespace;
    String name = refName == null ? "" : refName;
    if (!kind.equals(Kind.SERVICE) && !kind.equals(Kind.BACKEND)) {
      return invalid(weight, Reason.INVALID_KIND, path, "unsupported backend kind \""
          + (kind.group().isEmpty() ? "" : kind.group() + "/") + kind.kind() + "\".");
    }
    if (!grants.permits(from, routeNamespace, kind, namespace, name)) {
      return invalid(weight, Reason.REF_NOT_PERMITTED, path, kind.kind() + " \"" + namespace + "/"
          + name + "\" is in another namespace and no ReferenceGrant allows the reference.");
    }
    return kind.equals(Kind.SERVICE)
        ? services.resolve(namespace, name, port, weight, path, h2c)
        : backends.resolve(namespace, name, weight, path, h2c);
  }

  static BackendResolution invalid(int weight, Reason reason, String path, String message) {
    return new BackendResolution.Invalid(new Problem(reason, path + ": " + capitalize(message)),
        weight);
  }

  private static String capitalize(String s) {
    return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }
}
