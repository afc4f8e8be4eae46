package io.gatehouse.proxy.l4;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.model.Cluster;
import io.gatehouse.model.Endpoint;
import io.gatehouse.model.GatewayConfig;
import io.gatehouse.model.GatewayRef;
import io.gatehouse.model.L4Route;
import io.gatehouse.model.Listener;
import io.gatehouse.model.TcpListener;
import io.gatehouse.model.UpstreamProtocol;
import io.gatehouse.model.WeightedCluster;
import io.gatehouse.proxy.GatewayProxy;
import io.gatehouse.proxy.ProxyOptions;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * TCP listeners on loopback: the backend is connected as soon as the client connects (it speaks
 * first), connections are spread by weight (weight 0 gets none), a half-close is relayed, and a
 * client whose backend cannot be used is closed.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TcpRelayIT {
  static final String ADDRESS = "127.0.0.3";
  private static final AtomicLong VERSION = new AtomicLong();

  private L4TestBackend a;
  private L4TestBackend b;
  private L4TestBackend c;
  private GatewayProxy proxy;

  @BeforeAll
  void start() throws IOException {
    a = new L4TestBackend("A");
    b = new L4TestBackend("B");
    c = new L4TestBackend("C");
    proxy = startProxy();
  }

  /** The proxy under test; {@link NioTcpRelayIT} runs everything again on NIO. */
  GatewayProxy startProxy() {
    return GatewayProxy.start(
        new ProxyOptions(0, 2, Duration.ofSeconds(2), Duration.ofSeconds(2)));
  }

  @AfterAll
  void stop() throws IOException {
    proxy.close();
    a.close();
    b.close();
    c.close();
  }

  @Test
  void relaysTheBackendsGreetingBeforeTheClientSendsAnything() throws Exception {
    int port = freePort();
    serve(port, 0, a, 1);
    try (Socket s = connect(port)) {
      BufferedReader in = reader(s);
      assertThat(in.readLine()).isEqualTo("A");
    }
  }

  @Test
  void spreadsConnectionsByWeightAndNeverToWeightZero() throws Exception {
    int port = freePort();
    serve(port, 0, a, 70, b, 30, c, 0);
    Map<String, Integer> counts = new HashMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(10);
    try {
      List<Future<String>> greetings = new ArrayList<>();
      for (int i = 0; i < 500; i++) {
        greetings.add(pool.submit(() -> {
          try (Socket s = connect(port)) {
            return reader(s).readLine();
          }
        }));
      }
      for (Future<String> g : greetings) {
        counts.merge(g.get(), 1, Integer::sum);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(counts).containsOnlyKeys("A", "B");
    assertThat(counts.get("A") / 500.0).isBetween(0.65, 0.75);
    assertThat(counts.get("B") / 500.0).isBetween(0.25, 0.35);
  }

  @Test
  void relaysAHalfCloseAndKeepsTheOtherDirectionOpen() throws Exception {
    int port = freePort();
    serve(port, 0, b, 1);
    byte[] payload = new byte[12_345];
    ThreadLocalRandom.current().nextBytes(payload);
    try (Socket s = connect(port)) {
      s.getOutputStream().write(payload);
      s.shutdownOutput(); // the backend sees EOF, then answers with the digest
      byte[] all = readToEnd(s.getInputStream());
      String expected = "B\n" + new String(payload, StandardCharsets.ISO_8859_1) + "B:"
          + L4TestBackend.sha256(payload) + "\n";
      assertThat(new String(all, StandardCharsets.ISO_8859_1)).isEqualTo(expected);
    }
  }

  @Test
  void closesTheClientWhenTheBackendRefusesTheConnection() throws Exception {
    int port = freePort();
    int dead;
    try (ServerSocket s = new ServerSocket(0)) {
      dead = s.getLocalPort(); // nothing listens there once closed
    }
    Cluster down = new Cluster("service/default/down/" + dead,
        List.of(new Endpoint("127.0.0.1", dead, 1)), UpstreamProtocol.HTTP1);
    apply(port, new TcpListener("t", ADDRESS, port, new L4Route("default/down", List.of("*"),
        List.of(new WeightedCluster(down.name(), 1)), 0)), Map.of(down.name(), down));
    assertClosedWithoutData(port);
  }

  @Test
  void closesTheClientWhenTheRouteHasOnlyUnresolvedBackends() throws Exception {
    int port = freePort();
    serve(port, 1);
    assertClosedWithoutData(port);
  }

  @Test
  void closesTheClientWhenNoRouteIsAttached() throws Exception {
    int port = freePort();
    apply(port, new TcpListener("t", ADDRESS, port, null), Map.of());
    assertClosedWithoutData(port);
  }

  static void assertClosedWithoutData(int port) throws IOException {
    try (Socket s = connect(port)) {
      try {
        assertThat(s.getInputStream().read()).isEqualTo(-1);
      } catch (SocketException reset) {
        assertThat(reset.getMessage()).containsIgnoringCase("reset");
      }
    }
  }

  /**
   * A TCP listener on {@code port} whose route sends to {@code backendsAndWeights} (pairs of a
   * backend and its weight) and refuses a share of {@code rejected}.
   */
  private void serve(int port, int rejected, Object... backendsAndWeights) {
    List<WeightedCluster> weighted = new ArrayList<>();
    Map<String, Cluster> clusters = new HashMap<>();
    for (int i = 0; i < backendsAndWeights.length; i += 2) {
      L4TestBackend backend = (L4TestBackend) backendsAndWeights[i];
      Cluster cluster = cluster(backend);
      clusters.put(cluster.name(), cluster);
      weighted.add(new WeightedCluster(cluster.name(), (Integer) backendsAndWeights[i + 1]));
    }
    apply(port, new TcpListener("default/gw/" + port, ADDRESS, port,
        new L4Route("default/route", List.of("*"), weighted, rejected)), clusters);
  }

  static Cluster cluster(L4TestBackend backend) {
    return new Cluster("service/default/" + backend.name() + "/" + backend.port(),
        List.of(new Endpoint("127.0.0.1", backend.port(), 1)), UpstreamProtocol.HTTP1);
  }

  private void apply(int port, Listener listener, Map<String, Cluster> clusters) {
    long v = VERSION.incrementAndGet();
    assertThat(proxy.apply(v, List.of(new GatewayConfig(new GatewayRef("default", "gw"), 1,
        List.of(listener), clusters)))).isEmpty();
  }

  static Socket connect(int port) throws IOException {
    Socket s = new Socket();
    s.connect(new InetSocketAddress(ADDRESS, port), 5_000);
    s.setSoTimeout(10_000);
    return s;
  }

  static BufferedReader reader(Socket s) throws IOException {
    return new BufferedReader(new InputStreamReader(s.getInputStream(),
        StandardCharsets.ISO_8859_1));
  }

  static byte[] readToEnd(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    in.transferTo(out);
    return out.toByteArray();
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
