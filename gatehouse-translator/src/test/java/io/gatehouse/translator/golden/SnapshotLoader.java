package io.gatehouse.translator.golden;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.BackendTLSPolicy;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.TCPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.TLSRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.UDPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerSet;
import io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrant;
import io.gatehouse.translator.ResourceSnapshot;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Test-side loader: multi-document Kubernetes YAML into a {@link ResourceSnapshot}. Objects are
 * mapped by {@code kind}; a Gateway's annotation {@code gatehouse.io/test-address} stands for the
 * address the infrastructure would assign (the snapshot's {@code gatewayAddresses}), and its
 * annotation {@code gatehouse.io/test-unusable-addresses} (comma-separated) for requested addresses
 * the infrastructure cannot bind (the snapshot's {@code unusableAddresses}).
 */
final class SnapshotLoader {
  static final String ADDRESS_ANNOTATION = "gatehouse.io/test-address";
  static final String UNUSABLE_ANNOTATION = "gatehouse.io/test-unusable-addresses";
  private static final ObjectMapper YAML = YAMLMapper.builder()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .build();

  private SnapshotLoader() {
  }

  static ResourceSnapshot load(String yaml) throws IOException {
    return load(yaml, false);
  }

  /** Like {@link #load(String)}; with {@code skipUnknownKinds}, other kinds are ignored. */
  static ResourceSnapshot load(String yaml, boolean skipUnknownKinds) throws IOException {
    List<GatewayClass> classes = new ArrayList<>();
    List<Gateway> gateways = new ArrayList<>();
    List<HTTPRoute> routes = new ArrayList<>();
    List<ReferenceGrant> grants = new ArrayList<>();
    List<Namespace> namespaces = new ArrayList<>();
    List<Service> services = new ArrayList<>();
    List<EndpointSlice> slices = new ArrayList<>();
    List<Secret> secrets = new ArrayList<>();
    List<GenericKubernetesResource> backends = new ArrayList<>();
    List<ListenerSet> listenerSets = new ArrayList<>();
    Map<String, String> addresses = new HashMap<>();
    Set<String> unusable = new HashSet<>();
    List<ConfigMap> configMaps = new ArrayList<>();
    List<BackendTLSPolicy> tlsPolicies = new ArrayList<>();
    List<TCPRoute> tcpRoutes = new ArrayList<>();
    List<TLSRoute> tlsRoutes = new ArrayList<>();
    List<UDPRoute> udpRoutes = new ArrayList<>();
    List<GRPCRoute> grpcRoutes = new ArrayList<>();
    for (JsonNode doc : YAML.readerFor(JsonNode.class).<JsonNode>readValues(yaml).readAll()) {
      if (doc == null || doc.isNull() || doc.isMissingNode() || doc.isEmpty()) {
        continue;
      }
      String kind = doc.path("kind").asText();
      switch (kind) {
        case "GatewayClass" -> classes.add(YAML.treeToValue(doc, GatewayClass.class));
        case "Gateway" -> {
          Gateway g = YAML.treeToValue(doc, Gateway.class);
          gateways.add(g);
          var annotations = g.getMetadata().getAnnotations();
          if (annotations != null && annotations.containsKey(ADDRESS_ANNOTATION)) {
            addresses.put(g.getMetadata().getNamespace() + "/" + g.getMetadata().getName(),
                annotations.get(ADDRESS_ANNOTATION));
          }
          if (annotations != null && annotations.containsKey(UNUSABLE_ANNOTATION)) {
            unusable.addAll(List.of(annotations.get(UNUSABLE_ANNOTATION).split(",")));
          }
        }
        case "HTTPRoute" -> routes.add(YAML.treeToValue(doc, HTTPRoute.class));
        case "TCPRoute" -> tcpRoutes.add(YAML.treeToValue(doc, TCPRoute.class));
        case "TLSRoute" -> tlsRoutes.add(YAML.treeToValue(doc, TLSRoute.class));
        case "UDPRoute" -> udpRoutes.add(YAML.treeToValue(doc, UDPRoute.class));
        case "GRPCRoute" -> grpcRoutes.add(YAML.treeToValue(doc, GRPCRoute.class));
        case "ListenerSet" -> listenerSets.add(YAML.treeToValue(doc, ListenerSet.class));
        case "ReferenceGrant" -> grants.add(YAML.treeToValue(doc, ReferenceGrant.class));
        case "Namespace" -> namespaces.add(YAML.treeToValue(doc, Namespace.class));
        case "Service" -> services.add(YAML.treeToValue(doc, Service.class));
        case "EndpointSlice" -> slices.add(YAML.treeToValue(doc, EndpointSlice.class));
        case "Secret" -> secrets.add(YAML.treeToValue(doc, Secret.class));
        case "ConfigMap" -> configMaps.add(YAML.treeToValue(doc, ConfigMap.class));
        case "BackendTLSPolicy" -> tlsPolicies.add(YAML.treeToValue(doc, BackendTLSPolicy.class));
        case "Backend" -> backends.add(YAML.treeToValue(doc, GenericKubernetesResource.class));
        default -> {
          if (!skipUnknownKinds) {
            throw new IllegalArgumentException("unknown kind in golden input: " + kind);
          }
        }
      }
    }
    return new ResourceSnapshot(classes, gateways, routes, grants, namespaces, services, slices,
        secrets, backends, addresses, unusable, listenerSets, configMaps, tlsPolicies, tcpRoutes,
        tlsRoutes, udpRoutes, grpcRoutes);
  }
}
