package io.gatehouse.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.testing.EchoOptions;
import io.gatehouse.testing.EchoServer;
import io.gatehouse.testing.EchoTls;
import io.gatehouse.testing.GrpcEchoServer;
import io.gatehouse.testing.TcpEchoServer;
import io.netty.channel.EventLoopGroup;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The emulated pods of the Deployments in the manifests (HARNESS.md §3): each gets a name, a
 * loopback address of its own ({@code 127.1.x.y}, never one the Gateway address pool
 * {@code 127.0.0.x} hands out) and, for echo-basic HTTP pods, {@link EchoServer}s on ports 3000
 * (HTTP/1.1 and h2c) and 3001 (h2c only), plus HTTPS on 8443 when the container is given a serving
 * certificate ({@link EchoPodTls}); TCP echo pods get a {@link TcpEchoServer} on 3000 (and 8443
 * over TLS with a certificate); all on one shared event loop group; UDP echo and DNS pods are
 * served by {@link UdpPods}; gRPC echo pods get a {@link GrpcEchoServer} on 3000 (h2c) and, with a
 * certificate (grpc-infra-backend-v1), on 8443 over TLS with ALPN h2 (HARNESS.md §3.2).
 *
 * <p>
 * Thread-safe enough for the runner: pods are added and removed from the runner thread only.
 */
final class EchoPods implements AutoCloseable {
  static final int HTTP_PORT = 3000;
  static final int H2C_PORT = 3001;

  private final EventLoopGroup group = EchoServer.newEventLoopGroup(2);
  private final Map<String, Pod> pods = new LinkedHashMap<>();
  private final Map<String, List<EchoServer>> servers = new LinkedHashMap<>();
  private final Map<String, EchoTls> tlsByPod = new LinkedHashMap<>();
  private final UdpPods udp = new UdpPods();
  private final Map<String, List<TcpEchoServer>> tcpServers = new LinkedHashMap<>();
  private final Map<String, List<GrpcEchoServer>> grpcServers = new LinkedHashMap<>();
  private final Map<String, String> serviceByPod = new LinkedHashMap<>();
  private final Function<String, String> generated;
  private int nextAddress = 1;

  /** Pods without TLS material. */
  EchoPods() {
    this(ref -> null);
  }

  /** @param generated looks up generated Secrets/ConfigMaps ({@code Kind/ns/name/key}) */
  EchoPods(Function<String, String> generated) {
    this.generated = generated;
  }

  /** The pods a Deployment asks for (not started). */
  List<Pod> podsOf(ObjectNode deployment) {
    String ns = Yaml.text(deployment.path("metadata"), "namespace");
    String name = Yaml.text(deployment.path("metadata"), "name");
    JsonNode replicas = deployment.path("spec").path("replicas");
    int count = replicas.isMissingNode() || replicas.isNull() ? 1 : replicas.asInt();
    Map<String, String> labels = new LinkedHashMap<>();
    deployment.path("spec").path("template").path("metadata").path("labels")
        .fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
    Pod.Mode mode = modeOf(deployment);
    EchoTls tls = mode == Pod.Mode.HTTP_ECHO || mode == Pod.Mode.TCP_ECHO
        || mode == Pod.Mode.GRPC_ECHO
            ? EchoPodTls.of(deployment, generated)
            : null;
    String service = envValue(deployment, "SERVICE_NAME");
    List<Pod> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Pod pod = new Pod(ns, PodNames.of(ns, name, i), name, allocateAddress(), labels, mode);
      if (tls != null) {
        tlsByPod.put(pod.name(), tls);
      }
      if (mode == Pod.Mode.UDP) {
        udp.declare(pod.name(), ns, deployment);
      }
      serviceByPod.put(pod.name(), service);
      out.add(pod);
    }
    return out;
  }

  /** Starts the pods' servers; they count as Ready at once. */
  void start(List<Pod> newPods) {
    for (Pod pod : newPods) {
      pods.put(pod.name(), pod);
      List<EchoServer> started = new ArrayList<>();
      if (pod.mode() == Pod.Mode.HTTP_ECHO) {
        started.add(EchoServer.start(
            EchoOptions.of(pod.ip(), HTTP_PORT, pod.name(), pod.namespace()), group));
        started.add(EchoServer.start(
            EchoOptions.of(pod.ip(), H2C_PORT, pod.name(), pod.namespace()).withH2cOnly(true),
            group));
        EchoTls tls = tlsByPod.get(pod.name());
        if (tls != null) {
          started.add(EchoServer.start(EchoOptions.of(pod.ip(), EchoPodTls.HTTPS_PORT, pod.name(),
              pod.namespace()).withTls(tls), group));
        }
      }
      if (pod.mode() == Pod.Mode.UDP) {
        udp.start(pod, group);
      }
      servers.put(pod.name(), started);
      if (pod.mode() == Pod.Mode.TCP_ECHO) {
        tcpServers.put(pod.name(), startTcp(pod));
      }
      if (pod.mode() == Pod.Mode.GRPC_ECHO) {
        grpcServers.put(pod.name(), startGrpc(pod));
      }
    }
  }

  /**
   * echo-basic's gRPC echo (HARNESS.md §3.2): h2c on 3000, and 8443 over TLS with a certificate.
   */
  private List<GrpcEchoServer> startGrpc(Pod pod) {
    String service = serviceByPod.getOrDefault(pod.name(), "");
    List<GrpcEchoServer> started = new ArrayList<>();
    started.add(GrpcEchoServer.start(
        EchoOptions.of(pod.ip(), HTTP_PORT, pod.name(), pod.namespace()), service));
    EchoTls tls = tlsByPod.get(pod.name());
    if (tls != null) {
      started.add(GrpcEchoServer.start(EchoOptions.of(pod.ip(), EchoPodTls.HTTPS_PORT, pod.name(),
          pod.namespace()).withTls(tls), service));
    }
    return started;
  }

  /** echo-basic's TCP echo (HARNESS.md §9.2): port 3000, and 8443 over TLS with a certificate. */
  private List<TcpEchoServer> startTcp(Pod pod) {
    String service = serviceByPod.getOrDefault(pod.name(), "");
    List<TcpEchoServer> started = new ArrayList<>();
    started.add(TcpEchoServer.start(new TcpEchoServer.Options(pod.ip(), HTTP_PORT, pod.name(),
        pod.namespace(), service, null), group));
    EchoTls tls = tlsByPod.get(pod.name());
    if (tls != null) {
      started.add(TcpEchoServer.start(new TcpEchoServer.Options(pod.ip(), EchoPodTls.HTTPS_PORT,
          pod.name(), pod.namespace(), service, tls), group));
    }
    return started;
  }

  /** The literal value of env var {@code name} in the Deployment's containers, or "". */
  private static String envValue(ObjectNode deployment, String name) {
    for (JsonNode c : deployment.path("spec").path("template").path("spec").path("containers")) {
      for (JsonNode e : c.path("env")) {
        if (name.equals(e.path("name").asText()) && e.path("value").isTextual()) {
          return e.path("value").asText();
        }
      }
    }
    return "";
  }

  /** Stops and forgets these pods. */
  void stop(List<Pod> gone) {
    for (Pod pod : gone) {
      pods.remove(pod.name());
      servers.getOrDefault(pod.name(), List.of()).forEach(EchoServer::close);
      servers.remove(pod.name());
      tcpServers.getOrDefault(pod.name(), List.of()).forEach(TcpEchoServer::close);
      tcpServers.remove(pod.name());
      grpcServers.getOrDefault(pod.name(), List.of()).forEach(GrpcEchoServer::close);
      grpcServers.remove(pod.name());
      serviceByPod.remove(pod.name());
      tlsByPod.remove(pod.name());
      udp.stop(pod.name());
    }
  }

  List<Pod> pods() {
    return List.copyOf(pods.values());
  }

  /** The echo servers of one pod (empty for pods that are not emulated). */
  List<EchoServer> serversOf(String podName) {
    return servers.getOrDefault(podName, List.of());
  }

  /** The gRPC echo servers of one pod (empty for other pods). */
  List<GrpcEchoServer> grpcServersOf(String podName) {
    return grpcServers.getOrDefault(podName, List.of());
  }

  /** One pod's request log lines, HTTP echoes and gRPC calls, per server oldest first. */
  List<String> logLinesOf(String podName) {
    List<String> lines = new ArrayList<>();
    serversOf(podName).forEach(s -> s.requests().forEach(r -> lines.add(r.logLine())));
    grpcServersOf(podName).forEach(s -> s.requests().forEach(r -> lines.add(r.logLine())));
    return lines;
  }

  @Override
  public void close() {
    stop(pods());
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }

  private String allocateAddress() {
    int n = nextAddress++;
    if (n > 250 * 254) {
      throw new IllegalStateException("out of pod addresses");
    }
    return "127.1." + (n / 254) + "." + (n % 254 + 1);
  }

  static Pod.Mode modeOf(ObjectNode deployment) {
    String text = deployment.path("spec").path("template").toString();
    if (text.contains("GRPC_ECHO_SERVER")) {
      return Pod.Mode.GRPC_ECHO;
    }
    if (text.contains("TCP_ECHO_SERVER")) {
      return Pod.Mode.TCP_ECHO;
    }
    if (text.contains("UDP_ECHO_SERVER") || text.contains("coredns")) {
      return Pod.Mode.UDP;
    }
    return Pod.Mode.HTTP_ECHO;
  }
}
