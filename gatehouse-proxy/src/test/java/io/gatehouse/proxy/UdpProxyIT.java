package io.gatehouse.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.model.Cluster;
import io.gatehouse.model.Endpoint;
import io.gatehouse.model.GatewayConfig;
import io.gatehouse.model.GatewayRef;
import io.gatehouse.model.UdpListener;
import io.gatehouse.model.UpstreamProtocol;
import io.gatehouse.model.WeightedCluster;
import io.gatehouse.proxy.udp.UdpLimits;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The UDP data plane end to end on loopback: clients on connected {@link DatagramSocket}s (which
 * only accept replies from the address they sent to), the real {@link GatewayProxy}, and
 * {@link TestUdpUpstream} echo backends.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UdpProxyIT {
  private static final int OFFSET = 10_000;
  private static final String ADDRESS = "127.0.0.61";
  private static final AtomicLong VERSION = new AtomicLong();

  private final TestUdpUpstream a = new TestUdpUpstream("A");
  private final TestUdpUpstream b = new TestUdpUpstream("B");
  private final TestUdpUpstream c = new TestUdpUpstream("C");
  private GatewayProxy proxy;

  /** The transport under test; {@link NioUdpProxyIT} runs everything again on NIO. */
  Transport transport() {
    return Transport.of(true);
  }

  @BeforeEach
  void start() {
    start(UdpLimits.defaults());
  }

  private void start(UdpLimits limits) {
    if (proxy != null) {
      proxy.close();
    }
    proxy = GatewayProxy.start(new ProxyOptions(OFFSET, 2, Duration.ofSeconds(2),
        Duration.ofSeconds(1)).withUdp(limits), transport());
  }

  @AfterEach
  void stop() {
    proxy.close();
    a.close();
    b.close();
    c.close();
  }

  @Test
  void echoesThroughTheProxyUnchangedFromTheListenerAddress() throws IOException {
    apply(5300, Map.of(a, 1));
    try (DatagramSocket client = client(5300)) {
      assertThat(exchange(client, "hello")).isEqualTo("A:hello");
      byte[] big = new byte[9000];
      new Random(1).nextBytes(big);
      client.send(new DatagramPacket(big, big.length));
      byte[] reply = receive(client);
      assertThat(Arrays.copyOfRange(reply, 2, reply.length)).isEqualTo(big);
    }
  }

  @Test
  void keepsOneSessionPerClientPort() throws IOException {
    apply(5301, Map.of(a, 1, b, 1));
    try (DatagramSocket client = client(5301)) {
      String first = exchange(client, "x").substring(0, 1);
      for (int i = 0; i < 20; i++) {
        assertThat(exchange(client, "x" + i)).isEqualTo(first + ":x" + i);
      }
    }
    TestUdpUpstream used = a.sourcePorts().isEmpty() ? b : a;
    assertThat(used.sourcePorts()).hasSize(1);
    assertThat(proxy.udpCounters().values().iterator().next()).containsEntry("sessions", 1L);
  }

  @Test
  void drawsABackendByWeightPerNewFlow() throws IOException {
    apply(5302, Map.of(a, 70, b, 30, c, 0));
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < 500; i++) {
      try (DatagramSocket client = client(5302)) {
        counts.merge(exchange(client, "w").substring(0, 1), 1, Integer::sum);
      }
    }
    assertThat(counts).doesNotContainKey("C");
    assertThat(counts.get("A") / 500.0).isBetween(0.62, 0.78);
    assertThat(counts.get("B") / 500.0).isBetween(0.22, 0.38);
  }

  @Test
  void closesIdleSessions() throws Exception {
    start(new UdpLimits(Duration.ofMillis(300), 100));
    apply(5303, Map.of(a, 1));
    try (DatagramSocket client = client(5303)) {
      assertThat(exchange(client, "one")).isEqualTo("A:one");
      assertThat(sessions()).isEqualTo(1);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (sessions() > 0 && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(sessions()).isZero();
      // The next datagram opens a new session, from a new upstream port.
      assertThat(exchange(client, "two")).isEqualTo("A:two");
      assertThat(a.sourcePorts()).hasSize(2);
    }
  }

  @Test
  void dropsNewFlowsOverTheSessionLimit() throws IOException {
    start(new UdpLimits(Duration.ofSeconds(60), 2));
    apply(5304, Map.of(a, 1));
    try (DatagramSocket one = client(5304);
        DatagramSocket two = client(5304);
        DatagramSocket three = client(5304)) {
      assertThat(exchange(one, "1")).isEqualTo("A:1");
      assertThat(exchange(two, "2")).isEqualTo("A:2");
      three.setSoTimeout(500);
      three.send(packet("3"));
      assertThat(receiveOrNull(three)).isNull();
      assertThat(exchange(one, "again")).isEqualTo("A:again");
    }
    assertThat(proxy.udpCounters().values().iterator().next()).containsEntry("overLimit", 1L)
        .containsEntry("sessions", 2L);
  }

  @Test
  void reloadKeepsSessionsOfKeptBackendsAndRemovalFreesThePort() throws Exception {
    apply(5305, Map.of(a, 1));
    try (DatagramSocket client = client(5305)) {
      assertThat(exchange(client, "1")).isEqualTo("A:1");
      apply(5305, Map.of(a, 1, b, 0));
      assertThat(exchange(client, "2")).isEqualTo("A:2");
      assertThat(a.sourcePorts()).hasSize(1);
      apply(5305, Map.of(b, 1));
      assertThat(exchange(client, "3")).isEqualTo("B:3");
    }
    assertThat(proxy.apply(VERSION.incrementAndGet(), List.of())).isEmpty();
    assertThat(proxy.udpCounters()).isEmpty();
    // NIO closes a selector-registered socket in the kernel on the loop's next select: poll.
    assertThat(rebind(new InetSocketAddress(ADDRESS, 5305 + OFFSET))).isTrue();
  }

  private static boolean rebind(InetSocketAddress address) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
    while (true) {
      try (DatagramSocket s = new DatagramSocket(address)) {
        return s.isBound();
      } catch (java.net.BindException e) {
        if (System.nanoTime() > deadline) {
          return false;
        }
        Thread.sleep(20);
      } catch (IOException e) {
        return false;
      }
    }
  }

  private int sessions() {
    return proxy.udpCounters().values().iterator().next().get("sessions").intValue();
  }

  private void apply(int port, Map<TestUdpUpstream, Integer> weights) {
    Map<String, Cluster> clusters = new HashMap<>();
    List<WeightedCluster> backends = weights.entrySet().stream()
        .sorted((x, y) -> x.getKey().port() - y.getKey().port())
        .map(e -> {
          String name = "service/default/u" + e.getKey().port() + "/8080";
          clusters.put(name, new Cluster(name, List.of(new Endpoint("127.0.0.1",
              e.getKey().port(), 1)), UpstreamProtocol.HTTP1));
          return new WeightedCluster(name, e.getValue());
        })
        .toList();
    UdpListener l = new UdpListener("default/gw/" + port + "/udp", ADDRESS, port, "default/r",
        backends, 0);
    assertThat(proxy.apply(VERSION.incrementAndGet(), List.of(new GatewayConfig(
        new GatewayRef("default", "gw"), 1, List.of(l), clusters)))).isEmpty();
  }

  private static DatagramSocket client(int port) throws IOException {
    DatagramSocket s = new DatagramSocket();
    s.connect(new InetSocketAddress(ADDRESS, port + OFFSET));
    s.setSoTimeout(3000);
    return s;
  }

  private static DatagramPacket packet(String text) {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    return new DatagramPacket(b, b.length);
  }

  private static String exchange(DatagramSocket s, String text) throws IOException {
    s.send(packet(text));
    return new String(receive(s), StandardCharsets.UTF_8);
  }

  private static byte[] receive(DatagramSocket s) throws IOException {
    byte[] buf = new byte[70_000];
    DatagramPacket p = new DatagramPacket(buf, buf.length);
    s.receive(p);
    return Arrays.copyOf(buf, p.getLength());
  }

  private static byte[] receiveOrNull(DatagramSocket s) throws IOException {
    try {
      return receive(s);
    } catch (SocketTimeoutException e) {
      return null;
    }
  }
}
