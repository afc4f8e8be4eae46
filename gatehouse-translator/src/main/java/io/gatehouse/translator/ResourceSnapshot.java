package io.gatehouse.translator;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.BackendTLSPolicy;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.TCPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.TLSRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerSet;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.UDPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every input of one translation, taken at one moment. A source builds a new snapshot on every
 * relevant change; the translator treats the objects as read-only (fabric8 objects are mutable, so
 * nobody may change them after the snapshot is built).
 *
 * @param backends Envoy Gateway {@code Backend} objects ({@code gateway.envoyproxy.io/v1alpha1}),
 * which fabric8 has no typed model for
 * @param gatewayAddresses the address the infrastructure assigned to each Gateway that has no
 * {@code spec.addresses}, keyed by {@code namespace/name} (in standalone mode a loopback address
 * per Gateway, sticky across snapshots)
 * @param listenerSets {@code ListenerSet} objects (GEP-1713), which add listeners to a parent
 * Gateway that allows them
 * @param unusableAddresses the IP addresses requested in some Gateway's {@code spec.addresses} that
 * the infrastructure cannot bind (in standalone mode: not an address of this host); the Gateway
 * reports them as AddressNotUsable
 * @param configMaps ConfigMaps (CA bundles of BackendTLSPolicies, key {@code ca.crt})
 * @param backendTlsPolicies BackendTLSPolicy objects (gateway.networking.k8s.io/v1)
 * @param tcpRoutes TCPRoute objects (v1alpha2 and v1 share the v1 class)
 * @param tlsRoutes TLSRoute objects (v1alpha2, v1alpha3 and v1 share the v1 class)
 * @param udpRoutes UDPRoute objects (served as v1 and v1alpha2, read through the v1 class)
 * @param grpcRoutes GRPCRoute objects (v1; v1alpha2 read through the v1 class)
 */
public record ResourceSnapshot(List<GatewayClass> gatewayClasses, List<Gateway> gateways,
    List<HTTPRoute> httpRoutes,
    List<ReferenceGrant> referenceGrants, List<Namespace> namespaces, List<Service> services,
    List<EndpointSlice> endpointSlices, List<Secret> secrets,
    List<GenericKubernetesResource> backends,
    Map<String, String> gatewayAddresses, Set<String> unusableAddresses,
    List<ListenerSet> listenerSets, List<ConfigMap> configMaps,
    List<BackendTLSPolicy> backendTlsPolicies, List<TCPRoute> tcpRoutes,
    List<TLSRoute> tlsRoutes, List<UDPRoute> udpRoutes, List<GRPCRoute> grpcRoutes) {
  public ResourceSnapshot {
    gatewayClasses = List.copyOf(gatewayClasses);
    gateways = List.copyOf(gateways);
    httpRoutes = List.copyOf(httpRoutes);
    referenceGrants = List.copyOf(referenceGrants);
    namespaces = List.copyOf(namespaces);
    services = List.copyOf(services);
    endpointSlices = List.copyOf(endpointSlices);
    secrets = List.copyOf(secrets);
    backends = List.copyOf(backends);
    gatewayAddresses = Map.copyOf(gatewayAddresses);
    unusableAddresses = Set.copyOf(unusableAddresses);
    listenerSets = List.copyOf(listenerSets);
    configMaps = List.copyOf(configMaps);
    backendTlsPolicies = List.copyOf(backendTlsPolicies);
    tcpRoutes = List.copyOf(tcpRoutes);
    tlsRoutes = List.copyOf(tlsRoutes);
    udpRoutes = List.copyOf(udpRoutes);
    grpcRoutes = List.copyOf(grpcRoutes);
  }

  /** A snapshot without GRPCRoutes. */
  public ResourceSnapshot(List<GatewayClass> gatewayClasses, List<Gateway> gateways,
      List<HTTPRoute> httpRoutes,
      List<ReferenceGrant> referenceGrants, List<Namespace> namespaces, List<Service> services,
      List<EndpointSlice> endpointSlices, List<Secret> secrets,
      List<GenericKubernetesResource> backends,
      Map<String, String> gatewayAddresses, Set<String> unusableAddresses,
      List<ListenerSet> listenerSets, List<ConfigMap> configMaps,
      List<BackendTLSPolicy> backendTlsPolicies, List<TCPRoute> tcpRoutes,
      List<TLSRoute> tlsRoutes, List<UDPRoute> udpRoutes) {
    this(gatewayClasses, gateways, httpRoutes, referenceGrants, namespaces, services,
        endpointSlices, secrets, backends, gatewayAddresses, unusableAddresses, listenerSets,
        configMaps, backendTlsPolicies, tcpRoutes, tlsRoutes, udpRoutes, List.of());
  }

  /** A snapshot without TCPRoutes, TLSRoutes, UDPRoutes and GRPCRoutes. */
  public ResourceSnapshot(List<GatewayClass> gatewayClasses, List<Gateway> gateways,
      List<HTTPRoute> httpRoutes,
      List<ReferenceGrant> referenceGrants, List<Namespace> namespaces, List<Service> services,
      List<EndpointSlice> endpointSlices, List<Secret> secrets,
      List<GenericKubernetesResource> backends,
      Map<String, String> gatewayAddresses, Set<String> unusableAddresses,
      List<ListenerSet> listenerSets, List<ConfigMap> configMaps,
      List<BackendTLSPolicy> backendTlsPolicies) {
    this(gatewayClasses, gateways, httpRoutes, referenceGrants, namespaces, services,
        endpointSlices, secrets, backends, gatewayAddresses, unusableAddresses, listenerSets,
        configMaps, backendTlsPolicies, List.of(), List.of(), List.of(), List.of());
  }

  /** A snapshot without ConfigMaps and BackendTLSPolicies. */
  public ResourceSnapshot(List<GatewayClass> gatewayClasses, List<Gateway> gateways,
      List<HTTPRoute> httpRoutes, List<ReferenceGrant> referenceGrants,
      List<Namespace> namespaces, List<Service> services, List<EndpointSlice> endpointSlices,
      List<Secret> secrets, List<GenericKubernetesResource> backends,
      Map<String, String> gatewayAddresses, Set<String> unusableAddresses,
      List<ListenerSet> listenerSets) {
    this(gatewayClasses, gateways, httpRoutes, referenceGrants, namespaces, services,
        endpointSlices, secrets, backends, gatewayAddresses, unusableAddresses, listenerSets,
        List.of(), List.of());
  }

  /** A snapshot without ListenerSets, in which every requested address is usable. */
  public ResourceSnapshot(List<GatewayClass> gatewayClasses, List<Gateway> gateways,
      List<HTTPRoute> httpRoutes, List<ReferenceGrant> referenceGrants,
      List<Namespace> namespaces, List<Service> services, List<EndpointSlice> endpointSlices,
      List<Secret> secrets, List<GenericKubernetesResource> backends,
      Map<String, String> gatewayAddresses) {
    this(gatewayClasses, gateways, httpRoutes, referenceGrants, namespaces, services,
        endpointSlices, secrets, backends, gatewayAddresses, Set.of(), List.of());
  }

  /** A snapshot with nothing in it. */
  public static ResourceSnapshot empty() {
    return new ResourceSnapshot(List.of(), List.of(), List.of(), List.of(), List.of(), List.of(),
        List.of(),
        List.of(), List.of(), Map.of());
  }
}
