package io.gatehouse.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.testing.DatagramServer;
import io.gatehouse.testing.DnsWhoami;
import io.gatehouse.testing.UdpEcho;
import io.netty.channel.EventLoopGroup;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The UDP pods of the manifests (HARNESS.md §9.1): echo-basic with {@code UDP_ECHO_SERVER} answers
 * on UDP 8080 ({@link UdpEcho}, {@code service} from the container's {@code SERVICE_NAME}); the
 * coredns pod answers DNS on UDP 53 of its address ({@link DnsWhoami}, the {@code whoami} zone of
 * the base Corefile). Port 53 is privileged: the runner binds it as written, which needs root or
 * CAP_NET_BIND_SERVICE (CI runs as root); backend ports are never offset, since the EndpointSlices
 * name the container ports. A pod that cannot bind is logged and stays silent.
 */
final class UdpPods {
  private static final Logger LOG = LoggerFactory.getLogger(UdpPods.class);
  /** The zone the base Corefile serves with the whoami plugin ({@code foo.bar.com:53}). */
  static final String WHOAMI_ZONE = "foo.bar.com";

  /** What one UDP pod runs: its echo identity, or null for the DNS responder. */
  private record Spec(@Nullable UdpEcho echo) {
  }

  private final Map<String, Spec> specs = new HashMap<>();
  private final Map<String, DatagramServer> servers = new HashMap<>();

  /** Remembers what the pod {@code podName} of {@code deployment} runs. */
  void declare(String podName, String namespace, ObjectNode deployment) {
    JsonNode env = deployment.path("spec").path("template").path("spec").path("containers")
        .path(0).path("env");
    boolean echo = false;
    String service = "";
    for (JsonNode e : env) {
      String name = e.path("name").asText();
      if (name.equals("UDP_ECHO_SERVER")) {
        echo = true;
      } else if (name.equals("SERVICE_NAME")) {
        service = e.path("value").asText("");
      }
    }
    specs.put(podName, new Spec(echo ? new UdpEcho(podName, namespace, service) : null));
  }

  void start(Pod pod, EventLoopGroup group) {
    Spec spec = specs.get(pod.name());
    if (spec == null) {
      return;
    }
    try {
      DatagramServer server = spec.echo() != null
          ? DatagramServer.start(new InetSocketAddress(pod.ip(), UdpEcho.PORT),
              UdpEcho.READ_BUFFER, spec.echo()::answer, group)
          : DatagramServer.start(new InetSocketAddress(pod.ip(), DnsWhoami.PORT),
              DnsWhoami.READ_BUFFER, new DnsWhoami(WHOAMI_ZONE)::answer, group);
      servers.put(pod.name(), server);
    } catch (UncheckedIOException e) {
      LOG.warn("UDP pod {} not served: {}", pod.name(), e.getCause().getMessage());
    }
  }

  void stop(String podName) {
    specs.remove(podName);
    DatagramServer s = servers.remove(podName);
    if (s != null) {
      s.close();
    }
  }
}
