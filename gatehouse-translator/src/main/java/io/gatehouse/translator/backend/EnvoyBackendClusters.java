package io.gatehouse.translator.backend;

import io.gatehouse.translator.Namespaces;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.gatehouse.model.Cluster;
import io.gatehouse.model.Endpoint;
import io.gatehouse.model.UpstreamProtocol;
import io.gatehouse.translator.status.Reason;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Turns an Envoy Gateway {@code Backend} ({@code gateway.envoyproxy.io/v1alpha1}) into a cluster
 * named {@code backend/<ns>/<name>}: each {@code spec.endpoints[]} entry with an {@code ip} or
 * {@code fqdn} becomes an endpoint ({@code unix} sockets are not supported yet and are skipped).
 * {@code spec.appProtocols} containing {@code gateway.envoyproxy.io/h2c} selects h2c.
 */
final class EnvoyBackendClusters {
  private static final String H2C = "gateway.envoyproxy.io/h2c";

  private final Map<String, GenericKubernetesResource> backends = new HashMap<>();

  EnvoyBackendClusters(List<GenericKubernetesResource> backends) {
    for (GenericKubernetesResource b : backends) {
      if ("Backend".equals(b.getKind()) && b.getMetadata() != null) {
        this.backends.put(Namespaces.of(b) + "/" + b.getMetadata().getName(), b);
      }
    }
  }

  BackendResolution resolve(String namespace, String name, int weight, String path) {
    return resolve(namespace, name, weight, path, false);
  }

  /**
   * As above; with {@code h2c} (GRPCRoute backends) the cluster speaks h2c, named
   * {@code backend/<ns>/<name>/h2c} when the Backend would otherwise be HTTP/1.1.
   */
  BackendResolution resolve(String namespace, String name, int weight, String path,
      boolean h2c) {
    GenericKubernetesResource backend = backends.get(namespace + "/" + name);
    if (backend == null) {
      return BackendResolver.invalid(weight, Reason.BACKEND_NOT_FOUND, path,
          "Backend \"" + namespace + "/" + name + "\" not found.");
    }
    Object appProtocols = backend.get("spec", "appProtocols");
    UpstreamProtocol declared = appProtocols instanceof List<?> l && l.contains(H2C)
        ? UpstreamProtocol.H2C
        : UpstreamProtocol.HTTP1;
    UpstreamProtocol protocol = h2c ? UpstreamProtocol.H2C : declared;
    Cluster cluster = new Cluster("backend/" + namespace + "/" + name
        + (protocol == declared ? "" : "/h2c"), endpoints(backend), protocol);
    return new BackendResolution.Valid(cluster, weight);
  }

  private static List<Endpoint> endpoints(GenericKubernetesResource backend) {
    List<Endpoint> out = new ArrayList<>();
    Object list = backend.get("spec", "endpoints");
    if (!(list instanceof List<?> entries)) {
      return out;
    }
    for (Object entry : entries) {
      if (entry instanceof Map<?, ?> map) {
        Endpoint e = endpoint(map.get("ip"), "address");
        e = e != null ? e : endpoint(map.get("fqdn"), "hostname");
        if (e != null) {
          out.add(e);
        }
      }
    }
    return out;
  }

  private static @Nullable Endpoint endpoint(@Nullable Object spec, String addressKey) {
    if (!(spec instanceof Map<?, ?> map) || !(map.get(addressKey) instanceof String address)
        || !(map.get("port") instanceof Number port)) {
      return null;
    }
    int p = port.intValue();
    return p >= 1 && p <= 65535 ? new Endpoint(address, p, 1) : null;
  }
}
