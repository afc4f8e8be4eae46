package io.gatehouse.it;

import java.util.List;
import java.util.stream.Collectors;

/** YAML text for the objects the end-to-end tests need. */
final class Manifests {
  static final String NS = "e2e";

  private Manifests() {
  }

  static String gatewayClass() {
    return """
        apiVersion: gateway.networking.k8s.io/v1
        kind: GatewayClass
        metadata:
          name: gatehouse
        spec:
          controllerName: gatehouse.io/gateway-controller
        """;
  }

  /** A Gateway with one HTTP listener on port 80, at {@code address}. */
  static String gateway(String name, String address) {
    return """
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata:
          name: %s
          namespace: e2e
        spec:
          gatewayClassName: gatehouse
          addresses:
          - type: IPAddress
            value: %s
          listeners:
          - name: http
            protocol: HTTP
            port: 80
        """.formatted(name, address);
  }

  /** A Service on port 8080 and the EndpointSlice naming its pods, on port 3000. */
  static String service(String name, List<String> addresses) {
    String endpoints = addresses.stream().map(a -> """
        - addresses: [%s]
          conditions: {ready: true}
          targetRef: {kind: Pod, name: %s-%s, namespace: e2e}
        """.formatted(a, name, podSuffix(a))).collect(Collectors.joining());
    return """
        apiVersion: v1
        kind: Service
        metadata:
          name: %1$s
          namespace: e2e
        spec:
          ports:
          - name: http
            port: 8080
            targetPort: 3000
        ---
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata:
          name: %1$s-1
          namespace: e2e
          labels:
            kubernetes.io/service-name: %1$s
        addressType: IPv4
        ports:
        - name: http
          port: 3000
        endpoints:
        """.formatted(name) + endpoints;
  }

  /** The pod-name suffix used for the echo at {@code address}: its last two octets. */
  static String podSuffix(String address) {
    String[] octets = address.split("\\.");
    return "7c9d8b5f6d-" + octets[2] + "x" + octets[3];
  }

  /** An HTTPRoute on {@code gateway} for {@code host}: one rule per "path=backend[:weight]". */
  static String route(String name, String gateway, String host, String... rules) {
    StringBuilder yaml = new StringBuilder("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata:
          name: %s
          namespace: e2e
        spec:
          parentRefs:
          - name: %s
          hostnames: [%s]
          rules:
        """.formatted(name, gateway, host));
    for (String rule : rules) {
      String[] parts = rule.split("=", 2);
      yaml.append("""
            - matches:
              - path: {type: PathPrefix, value: %s}
              backendRefs:
          """.formatted(parts[0]));
      for (String backend : parts[1].split(",")) {
        String[] nameWeight = backend.split(":");
        yaml.append("      - {name: %s, port: 8080, weight: %s}\n".formatted(nameWeight[0],
            nameWeight.length > 1 ? nameWeight[1] : "1"));
      }
    }
    return yaml.toString();
  }
}
