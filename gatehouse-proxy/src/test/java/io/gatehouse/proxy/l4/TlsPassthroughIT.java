package io.gatehouse.proxy.l4;

import static io.gatehouse.proxy.l4.TcpRelayIT.ADDRESS;
import static io.gatehouse.proxy.l4.TcpRelayIT.cluster;
import static io.gatehouse.proxy.l4.TcpRelayIT.connect;
import static io.gatehouse.proxy.l4.TcpRelayIT.freePort;
import static io.gatehouse.proxy.l4.TcpRelayIT.readToEnd;
import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.model.Cluster;
import io.gatehouse.model.GatewayConfig;
import io.gatehouse.model.GatewayRef;
import io.gatehouse.model.L4Route;
import io.gatehouse.model.TlsPassthroughListener;
import io.gatehouse.model.WeightedCluster;
import io.gatehouse.proxy.GatewayProxy;
import io.gatehouse.proxy.ProxyOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * TLS Passthrough on loopback (SECURITY.md D7): 1000 connections each reach the backend their SNI
 * selects (exact name, then wildcard) with every byte they sent, ClientHello included, forwarded
 * unchanged (the backend reports a digest of what it received); a ClientHello whose SNI no route
 * serves, one without SNI, and one longer than 16 KiB are closed with no byte written back (no TLS
 * alert: the proxy never speaks TLS here).
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TlsPassthroughIT {
  private L4TestBackend exact;
  private L4TestBackend other;
  private L4TestBackend wildcard;
  private GatewayProxy proxy;
  private int port;

  @BeforeAll
  void start() throws IOException {
    exact = new L4TestBackend("EXACT");
    other = new L4TestBackend("OTHER");
    wildcard = new L4TestBackend("WILDCARD");
    proxy = GatewayProxy.start(
        new ProxyOptions(0, 2, Duration.ofSeconds(2), Duration.ofSeconds(2)));
    port = freePort();
    Cluster e = cluster(exact);
    Cluster o = cluster(other);
    Cluster w = cluster(wildcard);
    assertThat(proxy.apply(1, List.of(new GatewayConfig(new GatewayRef("default", "gw"), 1,
        List.of(new TlsPassthroughListener("default/gw/" + port, ADDRESS, port, List.of(
            route("exact", e, "abc.example.com"),
            route("other", o, "other.example.com"),
            route("wildcard", w, "*.example.com")))),
        Map.of(e.name(), e, o.name(), o, w.name(), w))))).isEmpty();
  }

  @AfterAll
  void stop() throws IOException {
    proxy.close();
    exact.close();
    other.close();
    wildcard.close();
  }

  @Test
  void routes1000ConnectionsBySniAndForwardsTheirBytesUnchanged() throws Exception {
    String[] names = {"abc.example.com", "other.example.com", "x.example.com",
        "deep.sub.example.com", "ABC.Example.COM"};
    String[] expected = {"EXACT", "OTHER", "WILDCARD", "WILDCARD", "EXACT"};
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Future<String>> results = new ArrayList<>();
      for (int i = 0; i < 1000; i++) {
        int n = i % names.length;
        results.add(pool.submit(() -> exchange(names[n], expected[n])));
      }
      for (Future<String> r : results) {
        assertThat(r.get()).isNull();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(exact.accepted() + other.accepted() + wildcard.accepted()).isEqualTo(1000);
  }

  @Test
  void closesAConnectionWhoseSniNoRouteServesWithoutAnAlert() throws Exception {
    assertRefused(clientHello("nomatch.example.org"));
  }

  @Test
  void closesAConnectionWithoutSni() throws Exception {
    assertRefused(clientHello(null));
  }

  @Test
  void closesAConnectionWhoseClientHelloIsLongerThan16KiB() throws Exception {
    // A complete handshake record whose ClientHello announces 20,000 bytes (continued in records
    // that never come): refused as soon as the length is read.
    ByteBuffer b = ByteBuffer.allocate(5 + 4004);
    b.put((byte) 22).put((byte) 3).put((byte) 1).putShort((short) 4004);
    b.put((byte) 1).put((byte) 0).putShort((short) 20_000);
    assertRefused(b.array());
  }

  private void assertRefused(byte[] hello) throws IOException {
    int before = exact.accepted() + other.accepted() + wildcard.accepted();
    try (Socket s = connect(port)) {
      s.getOutputStream().write(hello);
      s.getOutputStream().flush();
    }
    assertClosedAfterSending(hello);
    assertThat(exact.accepted() + other.accepted() + wildcard.accepted()).isEqualTo(before);
  }

  /** Sends {@code hello} and expects EOF or a reset with nothing read (no alert record). */
  private void assertClosedAfterSending(byte[] hello) throws IOException {
    try (Socket s = connect(port)) {
      s.getOutputStream().write(hello);
      s.getOutputStream().flush();
      byte[] got;
      try {
        got = readToEnd(s.getInputStream());
      } catch (java.net.SocketException reset) {
        got = new byte[0];
      }
      assertThat(got).as("bytes written back").isEmpty();
    }
  }

  /** One connection: a ClientHello for {@code sni}, random bytes, a half-close; null when good. */
  private String exchange(String sni, String backend) throws Exception {
    byte[] hello = clientHello(sni);
    byte[] tail = new byte[ThreadLocalRandom.current().nextInt(0, 4096)];
    ThreadLocalRandom.current().nextBytes(tail);
    ByteArrayOutputStream sent = new ByteArrayOutputStream();
    sent.write(hello);
    sent.write(tail);
    byte[] bytes = sent.toByteArray();
    try (Socket s = connect(port)) {
      s.getOutputStream().write(hello);
      s.getOutputStream().flush();
      s.getOutputStream().write(tail);
      s.shutdownOutput();
      String got = new String(readToEnd(s.getInputStream()), StandardCharsets.ISO_8859_1);
      String want = backend + "\n" + new String(bytes, StandardCharsets.ISO_8859_1) + backend
          + ":" + L4TestBackend.sha256(bytes) + "\n";
      return got.equals(want)
          ? null
          : sni + ": expected " + backend + ", got "
              + got.substring(0, Math.min(20, got.length()));
    }
  }

  /** A real TLS 1.2/1.3 ClientHello record from the JDK, with SNI {@code sni} (none if null). */
  static byte[] clientHello(String sni) throws Exception {
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, null, null);
    SSLEngine engine = ctx.createSSLEngine(sni == null ? null : sni.toLowerCase(), 443);
    engine.setUseClientMode(true);
    SSLParameters params = engine.getSSLParameters();
    params.setServerNames(sni == null ? List.<SNIServerName>of() : List.of(new SNIHostName(sni)));
    engine.setSSLParameters(params);
    ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
    engine.wrap(ByteBuffer.allocate(0), out);
    out.flip();
    byte[] bytes = new byte[out.remaining()];
    out.get(bytes);
    return bytes;
  }

  private static L4Route route(String name, Cluster cluster, String... hostnames) {
    return new L4Route("default/" + name, List.of(hostnames),
        List.of(new WeightedCluster(cluster.name(), 1)), 0);
  }
}
