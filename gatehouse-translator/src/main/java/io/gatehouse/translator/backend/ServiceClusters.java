package io.gatehouse.translator.backend;

import io.gatehouse.translator.Namespaces;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.gatehouse.model.Cluster;
import io.gatehouse.model.Endpoint;
import io.gatehouse.model.UpstreamProtocol;
import io.gatehouse.translator.status.Reason;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Turns a Service port into a cluster named {@code service/<ns>/<name>/<port>}, with the endpoints
 * of the EndpointSlices labelled {@code kubernetes.io/service-name: <name>} whose port has the
 * Service port's name, skipping endpoints whose {@code conditions.ready} is false.
 */
final class ServiceClusters {
  private static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";
  private static final String H2C = "kubernetes.io/h2c";
  /** WebSocket over TLS (RFC 6455): the upstream would need TLS, which clusters do not speak. */
  private static final String WSS = "kubernetes.io/wss";

  private final Map<String, Service> services = new HashMap<>();
  private final Map<String, List<EndpointSlice>> slices = new HashMap<>();
  /**
   * The clusters built so far, by name: every rule that sends to the same Service port gets the
   * same cluster, so its endpoints are gathered once per translation, not once per backendRef.
   */
  private final Map<String, Cluster> built = new HashMap<>();

  ServiceClusters(List<Service> services, List<EndpointSlice> slices) {
    for (Service s : services) {
      this.services.put(key(Namespaces.of(s), s.getMetadata().getName()), s);
    }
    for (EndpointSlice slice : slices) {
      Map<String, String> labels = slice.getMetadata().getLabels();
      String service = labels == null ? null : labels.get(SERVICE_NAME_LABEL);
      if (service != null) {
        this.slices.computeIfAbsent(key(Namespaces.of(slice), service),
            k -> new java.util.ArrayList<>()).add(slice);
      }
    }
  }

  BackendResolution resolve(String namespace, String name, @Nullable Integer port, int weight,
      String path) {
    return resolve(namespace, name, port, weight, path, false);
  }

  /**
   * As above; with {@code h2c} (GRPCRoute backends) the cluster speaks h2c whatever the port's
   * appProtocol says. When the port would not be h2c anyway, that cluster gets its own name,
   * {@code service/<ns>/<name>/<port>/h2c}, so that an HTTPRoute and a GRPCRoute sending to the
   * same Service port get one cluster each, never one of mixed protocol.
   */
  BackendResolution resolve(String namespace, String name, @Nullable Integer port, int weight,
      String path, boolean h2c) {
    if (port == null) {
      return BackendResolver.invalid(weight, Reason.BACKEND_NOT_FOUND, path + ".port",
          "a port is required for Service \"" + name + "\".");
    }
    Service service = services.get(key(namespace, name));
    if (service == null) {
      return BackendResolver.invalid(weight, Reason.BACKEND_NOT_FOUND, path,
          "Service \"" + namespace + "/" + name + "\" not found.");
    }
    ServicePort servicePort = findPort(service, port);
    if (servicePort == null) {
      return BackendResolver.invalid(weight, Reason.BACKEND_NOT_FOUND, path + ".port",
          "Service \"" + namespace + "/" + name + "\" has no port " + port + ".");
    }
    if (WSS.equals(servicePort.getAppProtocol())) {
      return BackendResolver.invalid(weight, Reason.UNSUPPORTED_PROTOCOL, path + ".port",
          "Service \"" + namespace + "/" + name + "\" port " + port + " has appProtocol \""
              + WSS + "\", which is not supported (WebSocket to TLS backends).");
    }
    UpstreamProtocol protocol = h2c ? UpstreamProtocol.H2C : protocol(servicePort);
    String clusterName = "service/" + namespace + "/" + name + "/" + port
        + (protocol == protocol(servicePort) ? "" : "/h2c");
    Cluster cluster = built.computeIfAbsent(clusterName,
        n -> new Cluster(n, endpoints(key(namespace, name), servicePort), protocol));
    return new BackendResolution.Valid(cluster, weight);
  }

  private List<Endpoint> endpoints(String serviceKey, ServicePort servicePort) {
    TreeSet<Endpoint> out = new TreeSet<>(
        Comparator.comparing(Endpoint::address).thenComparingInt(Endpoint::port));
    for (EndpointSlice slice : slices.getOrDefault(serviceKey, List.of())) {
      Integer port = slicePort(slice, servicePort.getName());
      if (port == null || slice.getEndpoints() == null) {
        continue;
      }
      for (var endpoint : slice.getEndpoints()) {
        boolean notReady = endpoint.getConditions() != null
            && Boolean.FALSE.equals(endpoint.getConditions().getReady());
        if (!notReady && endpoint.getAddresses() != null) {
          endpoint.getAddresses().stream()
              .filter(a -> a != null && !a.isEmpty())
              .forEach(a -> out.add(new Endpoint(a, port, 1)));
        }
      }
    }
    return List.copyOf(out);
  }

  private static @Nullable Integer slicePort(EndpointSlice slice, @Nullable String portName) {
    if (slice.getPorts() == null) {
      return null;
    }
    for (EndpointPort p : slice.getPorts()) {
      if (Objects.equals(blankToNull(p.getName()), blankToNull(portName)) && p.getPort() != null
          && p.getPort() > 0 && p.getPort() <= 65535) {
        return p.getPort();
      }
    }
    return null;
  }

  private static @Nullable ServicePort findPort(Service service, int port) {
    if (service.getSpec() == null || service.getSpec().getPorts() == null) {
      return null;
    }
    return service.getSpec().getPorts().stream()
        .filter(p -> p.getPort() != null && p.getPort() == port)
        .findFirst()
        .orElse(null);
  }

  /**
   * {@code kubernetes.io/h2c} gives H2C; anything else, {@code kubernetes.io/ws} included,
   * HTTP/1.1, over which the proxy relays WebSocket upgrades to any backend.
   */
  private static UpstreamProtocol protocol(ServicePort port) {
    return H2C.equals(port.getAppProtocol()) ? UpstreamProtocol.H2C : UpstreamProtocol.HTTP1;
  }

  private static @Nullable String blankToNull(@Nullable String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  private static String key(String namespace, String name) {
    return namespace + "/" + name;
  }
}
