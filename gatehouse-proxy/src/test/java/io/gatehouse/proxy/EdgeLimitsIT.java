package io.gatehouse.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.model.Action;
import io.gatehouse.model.Cluster;
import io.gatehouse.model.ConnectionLimits;
import io.gatehouse.model.EdgeTimeouts;
import io.gatehouse.model.Endpoint;
import io.gatehouse.model.GatewayConfig;
import io.gatehouse.model.GatewayRef;
import io.gatehouse.model.HttpListener;
import io.gatehouse.model.OverloadGuard;
import io.gatehouse.model.PathMatch;
import io.gatehouse.model.Route;
import io.gatehouse.model.RouteMatch;
import io.gatehouse.model.UpstreamProtocol;
import io.gatehouse.model.VirtualHost;
import io.gatehouse.model.WeightedCluster;
import io.netty.handler.codec.http2.Http2Error;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * SECURITY.md F1, F2, F3 and F5 with small values set through {@link ProxyOptions}: a 1 s
 * request-headers timeout, a 1 s stream idle timeout, a 150 ms upstream idle timeout (HTTP/1.1 and
 * h2c upstreams), 5 connections per listener and 8 per process, and the overload guard driven by
 * its test hook.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EdgeLimitsIT {
  private static final int OFFSET = 20_000;

  private TestUpstream a;
  private TestH2cUpstream h2;
  private GatewayProxy proxy;
  private int port;
  private int second;

  @BeforeAll
  void start() throws IOException {
    a = new TestUpstream("A");
    h2 = new TestH2cUpstream();
    ProxyOptions options = new ProxyOptions(OFFSET, 2, Duration.ofSeconds(2),
        Duration.ofSeconds(2))
        .withTimeouts(new EdgeTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(20),
            Duration.ofSeconds(1), Duration.ofMillis(150)))
        .withConnections(new ConnectionLimits(5, 8, 32 << 10, 16 << 10))
        .withOverload(new OverloadGuard(0.95, 0.98, Duration.ofMillis(50)));
    proxy = GatewayProxy.start(options, Transport.detect());
    port = freePort();
    second = freePort();
    VirtualHost vhost = new VirtualHost(List.of("foo.test"), List.of(new Route("h2c",
        RouteMatch.of(new PathMatch.Prefix("/h2c")), List.of(),
        new Action.Forward(List.of(new WeightedCluster("H", 1)), 0)),
        new Route("a",
            RouteMatch.of(new PathMatch.Prefix("/")), List.of(),
            new Action.Forward(List.of(new WeightedCluster("A", 1)), 0))));
    assertThat(proxy.apply(1, List.of(new GatewayConfig(new GatewayRef("ns", "g"), 1,
        List.of(new HttpListener("l1", "127.0.0.1", port, List.of(vhost)),
            new HttpListener("l2", "127.0.0.1", second, List.of(vhost))),
        Map.of("A", new Cluster("A", List.of(new Endpoint("127.0.0.1", a.port(), 1)),
            UpstreamProtocol.HTTP1), "H",
            new Cluster("H",
                List.of(new Endpoint("127.0.0.1", h2.port(), 1)), UpstreamProtocol.H2C))))))
        .isEmpty();
  }

  @AfterAll
  void stop() {
    proxy.overloadMonitor().simulate(-1);
    proxy.close();
    a.close();
    h2.close();
  }

  @Test
  void slowHeadersGet408AndAreClosedAtTheTimeout() throws Exception {
    try (RawHttp c = new RawHttp("127.0.0.1", port + OFFSET)) {
      long start = System.nanoTime();
      c.send("GET /x HTTP/1.1\r\nHost: foo.test\r\n");
      while (System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(700)) {
        Thread.sleep(200); // one header byte every 200 ms, never finishing the head
        c.send("x");
      }
      RawHttp.Response r = c.read();
      long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertThat(r.status()).isEqualTo(408);
      assertThat(r.headers()).containsEntry("connection", "close");
      assertThat(ms).isBetween(900L, 2500L);
      assertThat(c.closedByPeer()).isTrue();
    }
  }

  @Test
  void theHeadersTimeoutStartsAtTheFirstByteAndSpansOnlyTheHead() throws Exception {
    try (RawHttp c = new RawHttp("127.0.0.1", port + OFFSET)) {
      Thread.sleep(1500); // idle before the first request: the idle timeout's business
      assertThat(c.get("foo.test", "/x").status()).isEqualTo(200);
      Thread.sleep(1500); // idle between requests
      c.send("GET /x HTTP/1.1\r\n");
      Thread.sleep(500);
      c.send("Host: foo.test\r\n\r\n"); // the head took 0.5 s of its 1 s
      assertThat(c.read().status()).isEqualTo(200);
    }
  }

  @Test
  void slowPostIsCutAtTheStreamIdleTimeoutAndTheUpstreamReleased() throws Exception {
    int before = a.requests.get();
    try (RawHttp c = new RawHttp("127.0.0.1", port + OFFSET)) {
      long start = System.nanoTime();
      c.send("POST /echo HTTP/1.1\r\nHost: foo.test\r\nContent-Length: 1000000\r\n\r\nabc");
      assertThat(c.closedByPeerAfterDraining()).isTrue(); // then nothing more is sent
      long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertThat(ms).isBetween(900L, 3000L);
    }
    assertThat(a.requests.get()).isEqualTo(before); // the upstream never got a whole request
    try (RawHttp c = new RawHttp("127.0.0.1", port + OFFSET)) {
      assertThat(c.get("foo.test", "/x").status()).isEqualTo(200);
    }
  }

  @Test
  void anIdleHttp2StreamIsResetAndTheConnectionStays() throws Exception {
    try (RawH2 raw = new RawH2("127.0.0.1", port + OFFSET);
        H2FrameBytes f = new H2FrameBytes()) {
      raw.write(f.headers(1, new io.netty.handler.codec.http2.DefaultHttp2Headers().method("POST")
          .scheme("http").path("/echo").authority("foo.test"), false).take());
      long start = System.nanoTime();
      RawH2.Frame rst = raw.readUntil(RawH2.RST_STREAM);
      long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertThat(rst.stream()).isEqualTo(1);
      assertThat(rst.u32(0)).isEqualTo(Http2Error.CANCEL.code());
      assertThat(ms).isBetween(800L, 3000L);
      raw.write(f.headers(3, H2FrameBytes.get("/x"), true).take());
      RawH2.Frame h = raw.readUntil(RawH2.HEADERS);
      assertThat(h.stream()).isEqualTo(3);
    }
  }

  @Test
  void aSilentUpstreamGets504AtTheUpstreamIdleTimeout() throws Exception {
    try (RawHttp c = new RawHttp("127.0.0.1", port + OFFSET)) {
      RawHttp.Response r = c.get("foo.test", "/slow"); // answers after 300 ms > 150 ms
      assertThat(r.status()).isEqualTo(504);
    }
  }

  @Test
  void anIdleH2cUpstreamConnectionIsClosedAtTheUpstreamIdleTimeout() throws Exception {
    await(() -> h2.closed.get() == h2.connections.get()); // none left by another test
    int opened = h2.connections.get();
    int closed = h2.closed.get();
    try (RawHttp c = new RawHttp("127.0.0.1", port + OFFSET)) {
      assertThat(c.get("foo.test", "/h2c/x").body()).isEqualTo("H2");
      long served = System.nanoTime();
      assertThat(h2.connections.get()).isEqualTo(opened + 1);
      await(() -> h2.closed.get() == closed + 1); // 150 ms without a stream or a byte
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - served)).isGreaterThan(100);
      assertThat(c.get("foo.test", "/h2c/x").body()).isEqualTo("H2"); // on a new connection
      assertThat(h2.connections.get()).isEqualTo(opened + 2);
    }
  }

  @Test
  void aSilentH2cUpstreamGets504AtTheUpstreamIdleTimeout() throws Exception {
    try (RawHttp c = new RawHttp("127.0.0.1", port + OFFSET)) {
      long start = System.nanoTime();
      assertThat(c.get("foo.test", "/h2c/hold").status()).isEqualTo(504);
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(100L, 5000L);
    }
  }

  @Test
  void connectionsOverTheListenerAndProcessLimitsAreClosedAtOnce() throws Exception {
    List<RawHttp> open = new ArrayList<>();
    try {
      for (int i = 0; i < 5; i++) {
        RawHttp c = new RawHttp("127.0.0.1", port + OFFSET);
        open.add(c);
        assertThat(c.get("foo.test", "/x").status()).isEqualTo(200);
      }
      try (RawHttp sixth = new RawHttp("127.0.0.1", port + OFFSET)) {
        assertThat(sixth.closedByPeer()).isTrue(); // per listener: 5
      }
      for (int i = 0; i < 3; i++) {
        RawHttp c = new RawHttp("127.0.0.1", second + OFFSET);
        open.add(c);
        assertThat(c.get("foo.test", "/x").status()).isEqualTo(200);
      }
      try (RawHttp ninth = new RawHttp("127.0.0.1", second + OFFSET)) {
        assertThat(ninth.closedByPeer()).isTrue(); // per process: 8
      }
      for (RawHttp c : open) { // the existing ones are unaffected
        assertThat(c.get("foo.test", "/x").status()).isEqualTo(200);
      }
      open.remove(0).close();
      await(() -> proxy.openConnections() == 7);
      try (RawHttp again = new RawHttp("127.0.0.1", port + OFFSET)) {
        assertThat(again.get("foo.test", "/x").status()).isEqualTo(200);
      }
    } finally {
      for (RawHttp c : open) {
        c.close();
      }
    }
    await(() -> proxy.openConnections() == 0);
  }

  @Test
  void memoryPressureShrinksThenRefusesThenRecovers() throws Exception {
    OverloadMonitor guard = proxy.overloadMonitor();
    try (RawHttp c = new RawHttp("127.0.0.1", second + OFFSET)) {
      assertThat(c.get("foo.test", "/x").status()).isEqualTo(200); // leaves a pooled upstream
      int upstreamConnections = a.connections.get();
      guard.simulate(0.96); // shrink: idle upstream connections are closed
      Thread.sleep(300);
      assertThat(c.get("foo.test", "/x").status()).isEqualTo(200);
      assertThat(a.connections.get()).isEqualTo(upstreamConnections + 1);

      guard.simulate(0.99); // stop: 503 for new requests, new connections closed
      await(guard::overloaded);
      RawHttp.Response refused = c.get("foo.test", "/x");
      assertThat(refused.status()).isEqualTo(503);
      assertThat(refused.headers()).containsEntry("connection", "close");
      try (RawHttp fresh = new RawHttp("127.0.0.1", second + OFFSET)) {
        assertThat(fresh.closedByPeer()).isTrue();
      }
    } finally {
      guard.simulate(0.5);
    }
    await(() -> !guard.overloaded());
    try (RawHttp c = new RawHttp("127.0.0.1", second + OFFSET)) {
      assertThat(c.get("foo.test", "/x").status()).isEqualTo(200);
    }
    guard.simulate(-1);
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition within 10 s").isLessThan(deadline);
      Thread.sleep(20);
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
