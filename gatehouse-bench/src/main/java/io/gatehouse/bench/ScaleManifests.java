package io.gatehouse.bench;

import io.gatehouse.standalone.file.FileSource;
import io.gatehouse.translator.ResourceSnapshot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The Kubernetes YAML of a large shared ingress, as a user would write it: one Gateway with one
 * HTTP listener, {@code routes} HTTPRoutes in namespace {@code scale}, one Service (and its
 * EndpointSlice) per ten routes, all endpoints on one backend address.
 *
 * <p>
 * HTTPRoute {@code route-<i>} has the hostname {@code app-<i/10>.scale.example} (ten routes share a
 * hostname) and two rules, both to Service {@code svc-<i/10>} port 80:
 * <ul>
 * <li>rule 0: path prefix {@code /r<i>/api} with a RequestHeaderModifier filter that sets
 * {@code x-route: r<i>};
 * <li>rule 1: exact path {@code /r<i>/health}, method GET, header {@code x-probe: yes}.
 * </ul>
 * So {@code routes} HTTPRoutes become {@code 2 × routes} model routes on {@code routes / 10}
 * virtual hosts.
 */
public final class ScaleManifests {
  public static final String NAMESPACE = "scale";
  public static final String GATEWAY = "scale";
  /** Routes per file, so that no single document stream is huge. */
  private static final int ROUTES_PER_FILE = 1000;

  private final int routes;
  private final String address;
  private final int port;
  private final String backendHost;
  private final int backendPort;

  /**
   * @param routes the number of HTTPRoutes, a positive multiple of 10
   * @param address the Gateway's {@code spec.addresses} value
   * @param port the listener port
   */
  public ScaleManifests(int routes, String address, int port, String backendHost,
      int backendPort) {
    if (routes < 10 || routes % 10 != 0) {
      throw new IllegalArgumentException("routes must be a positive multiple of 10: " + routes);
    }
    this.routes = routes;
    this.address = address;
    this.port = port;
    this.backendHost = backendHost;
    this.backendPort = backendPort;
  }

  public int routes() {
    return routes;
  }

  /** The hostname of HTTPRoute {@code i}. */
  public static String hostname(int i) {
    return "app-" + i / 10 + ".scale.example";
  }

  /** A path that rule 0 of HTTPRoute {@code i} serves. */
  public static String apiPath(int i) {
    return "/r" + i + "/api/items/42";
  }

  /** The model route id of rule {@code rule} of HTTPRoute {@code i}. */
  public static String routeId(int i, int rule) {
    return NAMESPACE + "/route-" + i + "/rule/" + rule + "/match/0";
  }

  /** Writes the manifests into {@code dir} (created if needed): a few {@code .yaml} files. */
  public void write(Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("gateway.yaml"), gateway() + services());
    for (int from = 0; from < routes; from += ROUTES_PER_FILE) {
      StringBuilder sb = new StringBuilder();
      for (int i = from; i < Math.min(routes, from + ROUTES_PER_FILE); i++) {
        sb.append(route(i));
      }
      Files.writeString(dir.resolve("routes-" + from / ROUTES_PER_FILE + ".yaml"), sb);
    }
  }

  /**
   * The parsed resources, as the standalone file source reads them (written to a temporary
   * directory that is deleted again).
   */
  public ResourceSnapshot snapshot() {
    Path dir = null;
    try {
      dir = Files.createTempDirectory("gatehouse-scale-");
      write(dir);
      return FileSource.loadOnce(dir).resources();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      if (dir != null) {
        deleteTree(dir);
      }
    }
  }

  /** Deletes a directory tree, best effort. */
  public static void deleteTree(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort: a temporary directory
    }
  }

  private String gateway() {
    return """
        apiVersion: gateway.networking.k8s.io/v1
        kind: GatewayClass
        metadata:
          name: gatehouse
        spec:
          controllerName: gatehouse.io/gateway-controller
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata:
          name: %s
          namespace: %s
        spec:
          gatewayClassName: gatehouse
          addresses:
          - type: IPAddress
            value: %s
          listeners:
          - name: http
            protocol: HTTP
            port: %d
        ---
        """.formatted(GATEWAY, NAMESPACE, address, port);
  }

  private String services() {
    StringBuilder sb = new StringBuilder();
    for (int s = 0; s < routes / 10; s++) {
      sb.append("""
          apiVersion: v1
          kind: Service
          metadata:
            name: svc-%1$d
            namespace: %2$s
          spec:
            ports:
            - name: http
              port: 80
              targetPort: %3$d
          ---
          apiVersion: discovery.k8s.io/v1
          kind: EndpointSlice
          metadata:
            name: svc-%1$d-1
            namespace: %2$s
            labels:
              kubernetes.io/service-name: svc-%1$d
          addressType: IPv4
          ports:
          - name: http
            port: %3$d
            protocol: TCP
          endpoints:
          - addresses:
            - %4$s
          ---
          """.formatted(s, NAMESPACE, backendPort, backendHost));
    }
    return sb.toString();
  }

  private static String route(int i) {
    return """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata:
          name: route-%1$d
          namespace: %2$s
        spec:
          parentRefs:
          - name: %3$s
          hostnames:
          - %4$s
          rules:
          - matches:
            - path:
                type: PathPrefix
                value: /r%1$d/api
            filters:
            - type: RequestHeaderModifier
              requestHeaderModifier:
                set:
                - name: x-route
                  value: r%1$d
            backendRefs:
            - name: svc-%5$d
              port: 80
          - matches:
            - path:
                type: Exact
                value: /r%1$d/health
              method: GET
              headers:
              - name: x-probe
                value: "yes"
            backendRefs:
            - name: svc-%5$d
              port: 80
        ---
        """.formatted(i, NAMESPACE, GATEWAY, hostname(i), i / 10);
  }
}
