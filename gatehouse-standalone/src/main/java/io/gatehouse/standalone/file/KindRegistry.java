package io.gatehouse.standalone.file;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.BackendTLSPolicy;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.TCPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.TLSRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerSet;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.UDPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrant;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The kinds the file source accepts, keyed by {@code apiVersion} and {@code kind}. An explicit
 * table rather than fabric8's classpath scan: what standalone mode understands is visible in one
 * place.
 */
final class KindRegistry {
  /**
   * One accepted kind.
   *
   * @param apiVersion as written in files
   * @param storedApiVersion the version the loaded object reports (the v1 class serves v1beta1 too,
   * as the API server converts to the requested version)
   * @param namespaced false for cluster-scoped kinds
   */
  record Kind(String apiVersion, String kind, Class<? extends HasMetadata> type,
      String storedApiVersion, boolean namespaced) {
  }

  private static final String GW = "gateway.networking.k8s.io/";

  private static final Map<String, Kind> KINDS = Stream
      .of(
          kind("v1", "Namespace", Namespace.class, false),
          kind("v1", "Service", Service.class, true),
          kind("v1", "Secret", Secret.class, true),
          kind("v1", "ConfigMap", ConfigMap.class, true),
          kind("discovery.k8s.io/v1", "EndpointSlice", EndpointSlice.class, true),
          kind(GW + "v1", "GatewayClass", GatewayClass.class, false),
          kind(GW + "v1", "Gateway", Gateway.class, true),
          kind(GW + "v1", "HTTPRoute", HTTPRoute.class, true),
          kind(GW + "v1", "ListenerSet", ListenerSet.class, true),
          kind(GW + "v1", "BackendTLSPolicy", BackendTLSPolicy.class, true),
          // TCPRoute and TLSRoute: v1 since Gateway API v1.5, the alphas still in the experimental
          // channel (the conformance manifests use v1alpha2 for TCPRoute); same fields.
          kind(GW + "v1", "TCPRoute", TCPRoute.class, true),
          alias(GW + "v1alpha2", "TCPRoute", TCPRoute.class, GW + "v1", true),
          kind(GW + "v1", "TLSRoute", TLSRoute.class, true),
          alias(GW + "v1alpha2", "TLSRoute", TLSRoute.class, GW + "v1", true),
          alias(GW + "v1alpha3", "TLSRoute", TLSRoute.class, GW + "v1", true),
          alias(GW + "v1alpha3", "BackendTLSPolicy", BackendTLSPolicy.class, GW + "v1", true),
          alias(GW + "v1beta1", "GatewayClass", GatewayClass.class, GW + "v1", false),
          alias(GW + "v1beta1", "Gateway", Gateway.class, GW + "v1", true),
          alias(GW + "v1beta1", "HTTPRoute", HTTPRoute.class, GW + "v1", true),
          kind(GW + "v1beta1", "ReferenceGrant", ReferenceGrant.class, true),
          // ReferenceGrant is served as v1 since Gateway API v1.5 (the conformance manifests use it);
          // the schema is the same, and the translator reads the v1beta1 class.
          alias(GW + "v1", "ReferenceGrant", ReferenceGrant.class, GW + "v1beta1", true),
          kind(GW + "v1", "UDPRoute", UDPRoute.class, true),
          // The conformance manifests write UDPRoute as v1alpha2 (experimental channel); same schema.
          alias(GW + "v1alpha2", "UDPRoute", UDPRoute.class, GW + "v1", true),
          kind(GW + "v1", "GRPCRoute", GRPCRoute.class, true),
          // GRPCRoute v1alpha2 (before Gateway API v1.1) has the fields of v1.
          alias(GW + "v1alpha2", "GRPCRoute", GRPCRoute.class, GW + "v1", true),
          kind("gateway.envoyproxy.io/v1alpha1", "Backend", GenericKubernetesResource.class, true))
      .collect(Collectors.toUnmodifiableMap(k -> key(k.apiVersion(), k.kind()), k -> k));

  private KindRegistry() {
  }

  static Optional<Kind> find(String apiVersion, String kind) {
    return Optional.ofNullable(KINDS.get(key(apiVersion, kind)));
  }

  /** Whether objects of this kind live in a namespace; unknown kinds count as namespaced. */
  static boolean namespaced(String kind) {
    return KINDS.values().stream()
        .filter(k -> k.kind().equals(kind))
        .findFirst()
        .map(Kind::namespaced)
        .orElse(true);
  }

  private static Kind kind(String apiVersion, String kind, Class<? extends HasMetadata> type,
      boolean namespaced) {
    return new Kind(apiVersion, kind, type, apiVersion, namespaced);
  }

  private static Kind alias(String apiVersion, String kind, Class<? extends HasMetadata> type,
      String stored, boolean namespaced) {
    return new Kind(apiVersion, kind, type, stored, namespaced);
  }

  private static String key(String apiVersion, String kind) {
    return apiVersion + " " + kind;
  }
}
