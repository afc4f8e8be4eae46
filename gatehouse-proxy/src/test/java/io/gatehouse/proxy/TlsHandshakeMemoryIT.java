package io.gatehouse.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.model.Action;
import io.gatehouse.model.Cluster;
import io.gatehouse.model.Endpoint;
import io.gatehouse.model.GatewayConfig;
import io.gatehouse.model.GatewayRef;
import io.gatehouse.model.HttpsListener;
import io.gatehouse.model.L4Route;
import io.gatehouse.model.Listener;
import io.gatehouse.model.PathMatch;
import io.gatehouse.model.Route;
import io.gatehouse.model.RouteMatch;
import io.gatehouse.model.TlsPassthroughListener;
import io.gatehouse.model.UpstreamProtocol;
import io.gatehouse.model.VirtualHost;
import io.gatehouse.model.WeightedCluster;
import io.gatehouse.proxy.tls.TestCertificates;
import io.gatehouse.proxy.tls.TestCertificates.Issued;
import io.gatehouse.proxy.tls.TestCertificates.KeyFormat;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.internal.PlatformDependent;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * SECURITY.md D6's pass criterion, memory per connection under handshake attacks, on an HTTPS
 * listener (BoringSSL and the JDK's TLS) and a TLS Passthrough listener: 200 (system property
 * {@code d6.connections}) concurrent connections each stream a ClientHello announcing 16 MiB over
 * 16 KiB records as fast as the proxy takes them, or send one byte and stall. Measured: the heap in
 * use after a full GC and the peak of Netty's direct memory
 * ({@link PlatformDependent#usedDirectMemory()}, sampled every millisecond), over their values
 * before; both must grow by less than 1 MiB per connection. The clients are plain sockets on
 * virtual threads writing arrays prepared beforehand, and no upstream is ever reached, so the
 * growth is the proxy's (plus the clients' socket objects). Also asserted: the oversized
 * ClientHellos are closed long before 16 MiB is sent, and the stalled connections are still open
 * when measured and closed by the 10 s handshake timeout. TLS 1.0/1.1 refusal and renegotiation are
 * in {@link HttpsListenerIT}.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TlsHandshakeMemoryIT {
  /**
   * Concurrent attacking connections per test; a system property so a failure can be shown small.
   */
  private static final int CONNECTIONS = Integer.getInteger("d6.connections", 200);
  private static final long MIB = 1 << 20;
  /** The largest length a handshake header can announce (24 bits): 16 MiB - 1. */
  private static final int HELLO_LENGTH = 0xFFFFFF;
  private static final int RECORD = 16 << 10;
  private static final String ADDRESS = "127.0.0.1";
  /** A 16 KiB handshake record whose ClientHello header announces 16 MiB - 1 bytes. */
  private static final byte[] FIRST_RECORD = record(new byte[]{1, (byte) 0xff, (byte) 0xff,
      (byte) 0xff});
  /** A 16 KiB handshake record continuing it. */
  private static final byte[] NEXT_RECORD = record(new byte[0]);

  /** The listener under attack. */
  enum Target {
    HTTPS_BORINGSSL, HTTPS_JDK, TLS_PASSTHROUGH
  }

  private final Issued example = TestCertificates.rsa(KeyFormat.PKCS8, "example.org");
  private final Map<Target, GatewayProxy> proxies = new EnumMap<>(Target.class);
  private final Map<Target, Integer> ports = new EnumMap<>(Target.class);

  @BeforeAll
  void start() throws Exception {
    assertThat(OpenSsl.isAvailable()).as("BoringSSL loads on this platform").isTrue();
    ProxyOptions options = new ProxyOptions(0, 2, Duration.ofSeconds(2), Duration.ofSeconds(2));
    start(Target.HTTPS_BORINGSSL, GatewayProxy.start(options, Transport.detect(),
        SslProvider.OPENSSL));
    start(Target.HTTPS_JDK, GatewayProxy.start(options, Transport.detect(), SslProvider.JDK));
    start(Target.TLS_PASSTHROUGH, GatewayProxy.start(options));
    // Warm up every path the tests take (handshakes where there are, an oversized and a one-byte
    // ClientHello everywhere), so that first-use allocations are in the baselines.
    for (Target t : Target.values()) {
      if (t != Target.TLS_PASSTHROUGH) {
        handshake(ports.get(t));
      }
      try (Socket s = connect(ports.get(t))) {
        stream(s);
        assertClosed(t, s);
      }
      try (Socket s = connect(ports.get(t))) {
        s.getOutputStream().write(22);
      }
    }
  }

  private void start(Target target, GatewayProxy proxy) throws IOException {
    proxies.put(target, proxy);
    int port = freePort();
    ports.put(target, port);
    // The cluster is never reached: no connection gets past its ClientHello.
    Cluster cluster = new Cluster("S", List.of(new Endpoint("127.0.0.1", 9, 1)),
        UpstreamProtocol.HTTP1);
    Listener listener = target == Target.TLS_PASSTHROUGH
        ? new TlsPassthroughListener("ns/tls/" + port, ADDRESS, port, List.of(new L4Route(
            "ns/r", List.of("example.org"), List.of(new WeightedCluster("S", 1)), 0)))
        : new HttpsListener("ns/https/" + port, ADDRESS, port, List.of(new VirtualHost(
            List.of("*"), List.of(new Route("r", RouteMatch.of(new PathMatch.Prefix("/")),
                List.of(), new Action.Forward(List.of(new WeightedCluster("S", 1)), 0))))),
            List.of(example.serve("example.org")));
    assertThat(proxy.apply(1, List.of(new GatewayConfig(new GatewayRef("ns", "g"), 1,
        List.of(listener), Map.of("S", cluster))))).isEmpty();
  }

  @AfterAll
  void stop() {
    proxies.values().forEach(GatewayProxy::close);
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void sixteenMibClientHellosAreClosedAfterTheirFirstRecord(Target target) throws Exception {
    int port = ports.get(target);
    long heapBefore = heapAfterGc();
    List<Socket> sockets = new ArrayList<>();
    ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor();
    try (DirectMemoryPeak direct = new DirectMemoryPeak("d6-direct-memory")) {
      for (int i = 0; i < CONNECTIONS; i++) {
        sockets.add(connect(port));
      }
      List<Future<Long>> sent = new ArrayList<>();
      for (Socket s : sockets) {
        sent.add(clients.submit(() -> stream(s)));
      }
      long most = 0;
      for (Future<Long> f : sent) {
        // Bounded: a proxy that stopped reading without closing would block the writer; closing
        // the sockets (finally) unblocks it.
        most = Math.max(most, f.get(30, TimeUnit.SECONDS));
      }
      // Measured while the clients still hold their sockets: whatever the proxy kept of them
      // is still there.
      long heap = heapAfterGc() - heapBefore;
      long peak = direct.growth();
      report(target, "16 MiB ClientHello", heap, peak);
      System.out.printf("d6: %s 16 MiB ClientHello: at most %,d bytes sent on a connection%n",
          target, most);
      assertThat(most).as("bytes a client got out before the proxy closed (of 16 MiB)")
          .isLessThan(HELLO_LENGTH);
      for (Socket s : sockets) {
        assertClosed(target, s);
      }
      assertThat(heap).as("heap growth").isLessThan(CONNECTIONS * MIB);
      assertThat(peak).as("direct memory growth").isLessThan(CONNECTIONS * MIB);
    } finally {
      closeAll(sockets, clients);
    }
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void handshakesStalledAfterOneByteAreHeldBoundedAndClosedByTheTimeout(Target target)
      throws Exception {
    int port = ports.get(target);
    long heapBefore = heapAfterGc();
    List<Socket> sockets = new ArrayList<>();
    ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor();
    try (DirectMemoryPeak direct = new DirectMemoryPeak("d6-direct-memory")) {
      long connected = System.nanoTime();
      for (int i = 0; i < CONNECTIONS; i++) {
        Socket s = connect(port);
        sockets.add(s);
        s.getOutputStream().write(22); // the first byte of a handshake record, then nothing
        s.getOutputStream().flush();
      }
      Thread.sleep(1000); // the proxy accepts and reads them all
      long heap = heapAfterGc() - heapBefore;
      long peak = direct.growth();
      report(target, "1-byte stall", heap, peak);
      for (Socket s : sockets) {
        s.setSoTimeout(1);
        assertThat(readOrEof(s.getInputStream())).as("still open when measured").isEqualTo(-2);
      }
      assertThat(heap).as("heap growth").isLessThan(CONNECTIONS * MIB);
      assertThat(peak).as("direct memory growth").isLessThan(CONNECTIONS * MIB);
      List<Future<Integer>> firsts = new ArrayList<>();
      for (Socket s : sockets) {
        s.setSoTimeout(20_000);
        firsts.add(clients.submit(() -> readOrEof(s.getInputStream())));
      }
      for (Future<Integer> f : firsts) {
        int first = f.get(25, TimeUnit.SECONDS);
        if (target == Target.TLS_PASSTHROUGH) {
          assertThat(first).as("closed by the handshake timeout, no alert").isEqualTo(-1);
        } else {
          assertThat(first).as("closed by the handshake timeout").isIn(21, -1);
        }
      }
      System.out.printf("d6: %s 1-byte stall: all closed %,d ms after connecting%n", target,
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - connected));
    } finally {
      closeAll(sockets, clients);
    }
  }

  private static void report(Target target, String attack, long heap, long direct) {
    System.out.printf("d6: %s %s, %d connections: heap after GC %+,d bytes (%+,d per connection),"
        + " direct memory peak %+,d bytes (%+,d per connection)%n", target, attack, CONNECTIONS,
        heap, heap / CONNECTIONS, direct, direct / CONNECTIONS);
  }

  /**
   * Streams one ClientHello announcing {@value #HELLO_LENGTH} bytes over full 16 KiB handshake
   * records until the proxy closes the connection (a write fails) or all of it is sent; returns the
   * bytes written.
   */
  private static long stream(Socket s) {
    long sent = 0;
    try {
      OutputStream out = s.getOutputStream();
      out.write(FIRST_RECORD);
      sent += FIRST_RECORD.length;
      for (long hello = RECORD - 4; hello < HELLO_LENGTH; hello += RECORD) {
        out.write(NEXT_RECORD);
        sent += NEXT_RECORD.length;
      }
    } catch (IOException closed) {
      // the proxy closed the connection
    }
    return sent;
  }

  private static byte[] record(byte[] start) {
    byte[] r = new byte[5 + RECORD];
    r[0] = 22; // handshake
    r[1] = 3;
    r[2] = 1;
    r[3] = (byte) (RECORD >> 8);
    r[4] = (byte) RECORD;
    System.arraycopy(start, 0, r, 5, start.length);
    return r;
  }

  /** The proxy has closed {@code s}: EOF or a reset, after at most an alert on HTTPS. */
  private static void assertClosed(Target target, Socket s) throws IOException {
    s.setSoTimeout(5000);
    int first = readOrEof(s.getInputStream());
    if (target == Target.TLS_PASSTHROUGH) {
      assertThat(first).as("closed without an alert").isEqualTo(-1);
    } else {
      assertThat(first).as("an alert (21) or a close, never a ServerHello").isIn(21, -1);
    }
  }

  /** The first byte the server sends, -1 when it closes (or resets), -2 when it stays silent. */
  private static int readOrEof(InputStream in) {
    try {
      return in.read();
    } catch (SocketTimeoutException e) {
      return -2;
    } catch (IOException e) {
      return -1; // reset
    }
  }

  private static Socket connect(int port) throws IOException {
    Socket s = new Socket();
    try {
      s.setSendBufferSize(64 << 10); // fixed, not auto-tuned: the kernel holds little
      s.connect(new InetSocketAddress(ADDRESS, port), 5000);
      return s;
    } catch (IOException e) {
      s.close();
      throw e;
    }
  }

  /** A complete handshake with SNI example.org, then closed. */
  private void handshake(int port) throws IOException {
    try (SSLSocket s = (SSLSocket) example.trustingClient().getSocketFactory()
        .createSocket(ADDRESS, port)) {
      s.setSoTimeout(10_000);
      SSLParameters params = s.getSSLParameters();
      params.setServerNames(List.of(new SNIHostName("example.org")));
      s.setSSLParameters(params);
      s.startHandshake();
      assertThat(s.getSession().getProtocol()).isIn("TLSv1.3", "TLSv1.2");
    }
  }

  private static void closeAll(List<Socket> sockets, ExecutorService clients)
      throws InterruptedException {
    for (Socket s : sockets) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
    clients.shutdownNow();
    assertThat(clients.awaitTermination(10, TimeUnit.SECONDS)).as("clients stopped").isTrue();
  }

  /** Heap in use after full collections (System.gc() collects the whole heap on G1). */
  private static long heapAfterGc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(50);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
