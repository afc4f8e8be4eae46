package io.gatehouse.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.model.Action;
import io.gatehouse.model.Cluster;
import io.gatehouse.model.Endpoint;
import io.gatehouse.model.GatewayConfig;
import io.gatehouse.model.GatewayRef;
import io.gatehouse.model.HttpListener;
import io.gatehouse.model.PathMatch;
import io.gatehouse.model.Route;
import io.gatehouse.model.RouteMatch;
import io.gatehouse.model.UpstreamProtocol;
import io.gatehouse.model.VirtualHost;
import io.gatehouse.model.WeightedCluster;
import io.gatehouse.proxy.http.Http2Limits;
import io.gatehouse.proxy.http.PeerPenalty;
import io.netty.util.internal.PlatformDependent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * SECURITY.md E4, E5, E6, E9 and F4 (scaled) with the memory the proxy holds during the attack
 * measured, not guessed: Netty's count of the direct memory it reserved
 * ({@link PlatformDependent#usedDirectMemory()}, covering every Netty allocator in the process),
 * sampled every millisecond while the attack runs. Nothing else in this JVM uses Netty meanwhile:
 * the clients are plain sockets writing bytes prepared before the sampling starts, and the upstream
 * ({@link SlowUpstream}) is plain sockets too, so the peak growth is the proxy's. The bounds are
 * generous (allocators reserve memory in chunks) but far below what the attack would pin if the
 * proxy buffered it; each test also asserts the behaviour (connection closed, stream refused,
 * upstream paused).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FloodMemoryIT {
  private static final int OFFSET = 20_000;
  private static final long MIB = 1 << 20;
  /** Default limits but 100 queued control frames, so the control frame flood trips quickly. */
  private static final Http2Limits LIMITS = new Http2Limits(100, 64 << 10, 1 << 20, 16 << 10, 100,
      1, 200, 30, 16);

  private SlowUpstream upstream;
  private GatewayProxy proxy;
  private int port;

  @BeforeAll
  void start() throws IOException {
    upstream = new SlowUpstream();
    // Floods here are followed by more connections from 127.0.0.1: no peer penalty in this proxy
    // (PeerPenaltyIT covers it).
    proxy = GatewayProxy.start(new ProxyOptions(OFFSET, 2, Duration.ofSeconds(2),
        Duration.ofSeconds(2), LIMITS).withPenalty(PeerPenalty.disabled()), Transport.detect());
    port = freePort();
    VirtualHost vhost = new VirtualHost(List.of("foo.test"), List.of(new Route("a",
        RouteMatch.of(new PathMatch.Prefix("/")), List.of(),
        new Action.Forward(List.of(new WeightedCluster("S", 1)), 0))));
    assertThat(proxy.apply(1, List.of(new GatewayConfig(new GatewayRef("ns", "g"), 1,
        List.of(new HttpListener("l", "127.0.0.1", port, List.of(vhost))),
        Map.of("S", new Cluster("S", List.of(new Endpoint("127.0.0.1", upstream.port(), 1)),
            UpstreamProtocol.HTTP1))))))
        .isEmpty();
    // Warm the allocator up (a response body through both connections), so that the reservations
    // every first use makes are in the baseline.
    try (RawHttp c = new RawHttp("127.0.0.1", port + OFFSET)) {
      assertThat(c.get("foo.test", "/big?n=1048576").status()).isEqualTo(200);
    }
  }

  @AfterAll
  void stop() throws IOException {
    proxy.close();
    upstream.close();
  }

  @Test
  void continuationFloodOfEmptyFramesIsClosedAfterSixteen() throws Exception {
    byte[] flood = continuations(1000, 0);
    try (RawH2 raw = new RawH2("127.0.0.1", port + OFFSET); Peak peak = new Peak()) {
      raw.frame(RawH2.HEADERS, 0, 1, requestBlock("/c")); // no END_HEADERS
      writeUntilClosed(raw, flood, 1);
      assertThat(raw.readUntil(RawH2.GOAWAY).u32(4)).isNotZero();
      assertThat(raw.closedByPeer()).isTrue();
      assertThat(peak.growth()).as("direct memory growth").isLessThan(MIB);
    }
  }

  @Test
  void continuationFloodOfOneByteFramesIsClosedAtTheHeaderLimit() throws Exception {
    // 200,000 one-byte frames (2 MB on the wire) per write, up to 10 writes: 2 MB of header block
    // if the proxy kept accumulating it; it may keep about 20 KiB (the header list limit + 25%).
    byte[] flood = continuations(200_000, 1);
    try (RawH2 raw = new RawH2("127.0.0.1", port + OFFSET); Peak peak = new Peak()) {
      raw.frame(RawH2.HEADERS, 0, 1, requestBlock("/c"));
      assertThat(writeUntilClosed(raw, flood, 10)).as("closed before 20 MB were sent").isTrue();
      assertThat(raw.closedByPeer()).isTrue();
      assertThat(peak.growth()).as("direct memory growth").isLessThan(2 * MIB);
    }
    assertServing();
  }

  @Test
  void hpackBombIsRefusedOnTheHeaderListLimit() throws Exception {
    // A 100-byte cookie enters the dynamic table once, then 10,000 one-byte references to it:
    // about 10 KB on the wire that decode to 1.3 MB of header list (RFC 7541 §4.1 sizes).
    ByteArrayOutputStream block = new ByteArrayOutputStream();
    block.writeBytes(requestBlock("/bomb"));
    block.write(0x40); // literal with incremental indexing, new name: dynamic table entry 62
    literal(block, "cookie");
    literal(block, "c=" + "x".repeat(98));
    for (int i = 0; i < 10_000; i++) {
      block.write(0x80 | 62); // indexed field 62: the cookie again
    }
    try (RawH2 raw = new RawH2("127.0.0.1", port + OFFSET); Peak peak = new Peak()) {
      raw.frame(RawH2.HEADERS, RawH2.END_HEADERS | RawH2.END_STREAM, 1, block.toByteArray());
      RawH2.Frame f = raw.read();
      while (f.stream() != 1) {
        assertThat(f.type()).isNotEqualTo(RawH2.GOAWAY);
        f = raw.read();
      }
      if (f.type() == RawH2.HEADERS) {
        assertThat(new String(f.payload(), StandardCharsets.ISO_8859_1)).isNotEmpty();
      } else {
        assertThat(f.type()).isEqualTo(RawH2.RST_STREAM);
      }
      // The connection stays usable for the next request.
      raw.headers(3, true, ":method", "GET", ":scheme", "http", ":path", "/big?n=10",
          ":authority", "foo.test");
      for (f = raw.read(); f.stream() != 3; f = raw.read()) {
        assertThat(f.type()).isNotEqualTo(RawH2.GOAWAY);
      }
      assertThat(f.type()).isEqualTo(RawH2.HEADERS);
      assertThat(peak.growth()).as("direct memory growth").isLessThan(MIB);
    }
  }

  @Test
  void controlFrameFloodFromAClientThatDoesNotReadIsClosed() throws Exception {
    byte[] pings = pings(20_000); // 340 KB per write, up to 100 writes (34 MB)
    try (RawH2 raw = new RawH2("127.0.0.1", port + OFFSET, 4096); Peak peak = new Peak()) {
      // The client never reads: every PING ACK the proxy owes it queues up behind a full socket
      // until more than 100 are waiting, then the connection is closed.
      assertThat(writeUntilClosed(raw, pings, 100)).as("closed before 34 MB were sent").isTrue();
      assertThat(peak.growth()).as("direct memory growth").isLessThan(2 * MIB);
    }
    assertServing();
  }

  @Test
  void slowReaderPausesTheUpstream() throws Exception {
    long size = 32 * MIB;
    try (RawH2 raw = new RawH2("127.0.0.1", port + OFFSET); Peak peak = new Peak()) {
      raw.frame(RawH2.SETTINGS, 0, 0, new byte[]{0, 4, 0, 0, 0, 0}); // stream windows: 0
      long before = upstream.written.get();
      raw.headers(1, true, ":method", "GET", ":scheme", "http", ":path", "/big?n=" + size,
          ":authority", "foo.test");
      long stalled = awaitStable(upstream.written) - before;
      // The upstream's writes block: it got out what the kernel buffers on both sides and the
      // proxy's one read in flight hold, nothing like the 32 MiB body.
      assertThat(stalled).isPositive().isLessThan(4 * MIB);
      assertThat(peak.growth()).as("direct memory growth").isLessThan(MIB);
      // Opening the windows resumes the upstream's writes: it was backpressure, not a stall.
      raw.frame(RawH2.WINDOW_UPDATE, 0, 1, new byte[]{0, (byte) 0x40, 0, 0});
      raw.frame(RawH2.WINDOW_UPDATE, 0, 0, new byte[]{0, (byte) 0x40, 0, 0});
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (upstream.written.get() - before < stalled + 2 * MIB) {
        raw.read();
        assertThat(System.nanoTime()).isLessThan(deadline);
      }
    }
  }

  @Test
  void concurrentUploadsToASlowUpstreamAreBackPressured() throws Exception {
    int clients = 10;
    long size = 16 * MIB;
    long readBefore = upstream.read.get();
    List<Socket> sockets = new ArrayList<>();
    List<Thread> writers = new ArrayList<>();
    AtomicLong sent = new AtomicLong();
    try (Peak peak = new Peak()) {
      for (int i = 0; i < clients; i++) {
        Socket s = new Socket();
        s.setSendBufferSize(64 << 10); // fixed, not auto-tuned: the kernel holds little
        s.connect(new InetSocketAddress("127.0.0.1", port + OFFSET), 5000);
        sockets.add(s);
        Thread t = new Thread(() -> upload(s, size, sent), "fm-upload");
        t.setDaemon(true);
        writers.add(t);
        t.start();
      }
      Thread.sleep(3000);
      long read = upstream.read.get() - readBefore;
      long growth = peak.growth();
      System.out.printf("fm: uploads sent %,d, upstream read %,d%n", sent.get(), read);
      assertThat(read).as("the upstream reads").isPositive();
      // The clients' writes block: what they sent beyond what the upstream read sits in kernel
      // buffers (the proxy's receive buffers are auto-tuned) and at most a read per connection in
      // the proxy, nowhere near the 160 MiB they try to send.
      assertThat(sent.get() - read).isLessThan(clients * 8 * MIB);
      assertThat(growth).as("direct memory growth").isLessThan(clients * 2 * MIB);
    } finally {
      for (Socket s : sockets) {
        s.close();
      }
      for (Thread t : writers) {
        t.join(5000);
      }
    }
  }

  private static void upload(Socket s, long size, AtomicLong sent) {
    try {
      OutputStream out = s.getOutputStream();
      out.write(("POST /upload HTTP/1.1\r\nHost: foo.test\r\nContent-Length: " + size + "\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      byte[] chunk = new byte[64 << 10];
      for (long left = size; left > 0; left -= chunk.length) {
        out.write(chunk);
        sent.addAndGet(chunk.length);
      }
    } catch (IOException closed) {
      // the test closed the socket
    }
  }

  /** Waits until {@code counter} stops moving for 500 ms (at most 8 s) and returns its value. */
  private static long awaitStable(AtomicLong counter) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(8);
    long last = -1;
    while (System.nanoTime() < deadline) {
      long now = counter.get();
      if (now == last && now > 0) {
        return now;
      }
      last = now;
      Thread.sleep(500);
    }
    throw new AssertionError("still moving after 8 s: " + counter.get());
  }

  /**
   * Writes {@code bytes} up to {@code times} times; returns whether the proxy closed the connection
   * meanwhile (a write failed).
   */
  private static boolean writeUntilClosed(RawH2 raw, byte[] bytes, int times) {
    try {
      for (int i = 0; i < times; i++) {
        raw.write(bytes);
      }
      return false;
    } catch (IOException closed) {
      return true;
    }
  }

  /** {@code n} CONTINUATION frames on stream 1 without END_HEADERS, {@code size} bytes each. */
  private static byte[] continuations(int n, int size) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < n; i++) {
      out.writeBytes(new byte[]{0, 0, (byte) size, 9, 0, 0, 0, 0, 1});
      out.writeBytes(new byte[size]); // 0x00: the start of a literal, never completed
    }
    return out.toByteArray();
  }

  /** {@code n} PING frames. */
  private static byte[] pings(int n) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < n; i++) {
      out.writeBytes(new byte[]{0, 0, 8, 6, 0, 0, 0, 0, 0});
      out.writeBytes(new byte[8]);
    }
    return out.toByteArray();
  }

  /** The pseudo-headers of {@code GET path} as HPACK literals without indexing. */
  private static byte[] requestBlock(String path) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    String[] pairs = {":method", "GET", ":scheme", "http", ":path", path, ":authority",
        "foo.test"};
    for (int i = 0; i < pairs.length; i += 2) {
      b.write(0x00);
      literal(b, pairs[i]);
      literal(b, pairs[i + 1]);
    }
    return b.toByteArray();
  }

  /** An RFC 7541 §5.2 string literal shorter than 127 bytes, not Huffman-coded. */
  private static void literal(ByteArrayOutputStream b, String s) {
    byte[] bytes = s.getBytes(StandardCharsets.ISO_8859_1);
    b.write(bytes.length);
    b.writeBytes(bytes);
  }

  /** A new connection is still served. */
  private void assertServing() throws IOException {
    try (RawHttp c = new RawHttp("127.0.0.1", port + OFFSET)) {
      assertThat(c.get("foo.test", "/big?n=10").status()).isEqualTo(200);
    }
  }

  /** {@link DirectMemoryPeak} that prints its growth when read. */
  private static final class Peak implements AutoCloseable {
    private final DirectMemoryPeak peak = new DirectMemoryPeak("fm-direct-memory");

    long growth() {
      long g = peak.growth();
      System.out.printf("fm: direct memory peak growth %,d bytes%n", g);
      return g;
    }

    @Override
    public void close() throws InterruptedException {
      peak.close();
    }
  }

  private static int freePort() throws IOException {
    for (int i = 0; i < 50; i++) {
      try (ServerSocket s = new ServerSocket(0)) {
        if (s.getLocalPort() > OFFSET) {
          return s.getLocalPort() - OFFSET;
        }
      }
    }
    throw new IOException("no free port above " + OFFSET);
  }
}
