package io.gatehouse.standalone.admin;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Listener;
import io.gatehouse.translator.gateway.InfrastructureMetadata;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The objects Kubernetes mode would create for a Gateway, shown by standalone mode on the admin API
 * so that what a Gateway propagates to its infrastructure ({@code spec.infrastructure.labels} and
 * {@code .annotations}, see {@link InfrastructureMetadata}) can be inspected without a cluster: a
 * ServiceAccount and a Service named {@code gatehouse-<gateway>} in the Gateway's namespace, owned
 * by the Gateway, with one Service port per distinct listener port. Nothing is created anywhere;
 * standalone mode serves from its own process.
 */
final class GeneratedObjects {
  static final String PREFIX = "gatehouse-";

  private GeneratedObjects() {
  }

  /** The generated objects of {@code gateway}. */
  static List<HasMetadata> of(Gateway gateway) {
    InfrastructureMetadata m = InfrastructureMetadata.of(gateway);
    return List.of(new ServiceAccountBuilder().withMetadata(metadata(gateway, m)).build(),
        new ServiceBuilder().withMetadata(metadata(gateway, m))
            .withNewSpec()
            .withType("LoadBalancer")
            .withSelector(Map.of(InfrastructureMetadata.GATEWAY_NAME_LABEL,
                gateway.getMetadata().getName()))
            .withPorts(ports(gateway))
            .endSpec()
            .build());
  }

  private static ObjectMeta metadata(Gateway gateway, InfrastructureMetadata m) {
    return new ObjectMetaBuilder().withName(PREFIX + gateway.getMetadata().getName())
        .withNamespace(gateway.getMetadata().getNamespace())
        .withLabels(m.labels())
        .withAnnotations(m.annotations().isEmpty() ? null : m.annotations())
        .withOwnerReferences(new OwnerReferenceBuilder()
            .withApiVersion(gateway.getApiVersion())
            .withKind("Gateway")
            .withName(gateway.getMetadata().getName())
            .withUid(gateway.getMetadata().getUid())
            .withController(true)
            .build())
        .build();
  }

  private static List<ServicePort> ports(Gateway gateway) {
    Map<Integer, ServicePort> ports = new TreeMap<>();
    List<Listener> listeners = gateway.getSpec() == null || gateway.getSpec().getListeners() == null
        ? List.of()
        : gateway.getSpec().getListeners();
    for (Listener l : listeners) {
      if (l.getPort() != null) {
        ports.putIfAbsent(l.getPort(), new ServicePortBuilder().withName("port-" + l.getPort())
            .withPort(l.getPort())
            .withProtocol("UDP".equals(l.getProtocol()) ? "UDP" : "TCP")
            .build());
      }
    }
    return List.copyOf(ports.values());
  }
}
