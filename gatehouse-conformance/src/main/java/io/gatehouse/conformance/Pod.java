package io.gatehouse.conformance;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * One emulated pod of a Deployment (HARNESS.md §3).
 *
 * @param namespace the Deployment's namespace
 * @param name {@code <deployment>-<rs hash>-<pod hash>}
 * @param deployment the Deployment's name
 * @param ip its own loopback address, {@code 127.1.x.y}
 * @param labels the pod template's labels
 * @param mode what the pod serves
 */
record Pod(String namespace, String name, String deployment, String ip, Map<String, String> labels,
    Mode mode) {
  /** What the echo-basic container of the pod runs (by its env), and whether we emulate it. */
  enum Mode {
    /** echo-basic HTTP on 3000 (HTTP/1.1 + h2c) and 3001 (h2c only): emulated. */
    HTTP_ECHO,
    /** gRPC echo on 3000 (h2c), and 8443 over TLS with a certificate: emulated. */
    GRPC_ECHO,
    /**
     * TCP echo on 3000 (and 8443 over TLS with a certificate): emulated ({@code TcpEchoServer}).
     */
    TCP_ECHO,
    /** UDP echo on 8080, or the DNS whoami responder on 53: emulated ({@link UdpPods}). */
    UDP
  }

  Pod {
    requireNonNull(namespace, "namespace");
    requireNonNull(name, "name");
    requireNonNull(deployment, "deployment");
    requireNonNull(ip, "ip");
    labels = Map.copyOf(labels);
    requireNonNull(mode, "mode");
  }

  /** True when every selector entry is one of the pod's labels (an empty selector matches none). */
  boolean matches(Map<String, String> selector) {
    return !selector.isEmpty() && selector.entrySet().stream()
        .allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
  }

  /** The backend of a pod name: the name without its last two {@code -} parts (README.md). */
  static String backendOf(String podName) {
    String[] parts = podName.split("-");
    if (parts.length < 3) {
      return podName;
    }
    return String.join("-", java.util.Arrays.copyOf(parts, parts.length - 2));
  }
}
