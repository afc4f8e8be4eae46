package io.gatehouse.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.model.Action;
import io.gatehouse.model.Cluster;
import io.gatehouse.model.Endpoint;
import io.gatehouse.model.Filter;
import io.gatehouse.model.GatewayConfig;
import io.gatehouse.model.GatewayRef;
import io.gatehouse.model.Header;
import io.gatehouse.model.HttpListener;
import io.gatehouse.model.PathMatch;
import io.gatehouse.model.Route;
import io.gatehouse.model.RouteMatch;
import io.gatehouse.model.Timeouts;
import io.gatehouse.model.UpstreamProtocol;
import io.gatehouse.model.VirtualHost;
import io.gatehouse.model.WeightedCluster;
import io.gatehouse.proxy.http.PeerPenalty;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * HTTP/2 with prior knowledge on a cleartext HTTP listener of the real {@link GatewayProxy}: a
 * Netty HTTP/2 client (and hand-written frames where a client library would refuse) against
 * {@link TestUpstream} (HTTP/1.1) and {@link TestH2cUpstream}. Also pins that HTTP/1.1's
 * {@code Upgrade: h2c} is never performed nor forwarded.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DownstreamHttp2IT {
  private static final int OFFSET = 20_000;
  private static final AtomicLong VERSION = new AtomicLong();

  private TestUpstream a;
  private TestH2cUpstream h2;
  private GatewayProxy proxy;
  private int port;

  @BeforeAll
  void start() throws IOException {
    a = new TestUpstream("A");
    h2 = new TestH2cUpstream();
    // Floods here are followed by more connections from 127.0.0.1: no peer penalty in this proxy
    // (PeerPenaltyIT covers it).
    proxy = GatewayProxy.start(
        new ProxyOptions(OFFSET, 2, Duration.ofSeconds(2), Duration.ofSeconds(5))
            .withPenalty(PeerPenalty.disabled()),
        Transport.detect());
    port = freePort();
    Action.Forward toA = new Action.Forward(List.of(new WeightedCluster("A", 1)), 0);
    apply(port, new VirtualHost(List.of("foo.test"), List.of(
        new Route("h2", RouteMatch.of(new PathMatch.Prefix("/h2")), List.of(),
            new Action.Forward(List.of(new WeightedCluster("H2", 1)), 0)),
        new Route("h2-echo", RouteMatch.of(new PathMatch.Prefix("/echo-h2")), List.of(),
            new Action.Forward(List.of(new WeightedCluster("H2", 1)), 0)),
        new Route("moved", RouteMatch.of(new PathMatch.Prefix("/moved")), List.of(),
            new Action.Redirect("https", null, null, null, 301)),
        new Route("timeout", RouteMatch.of(new PathMatch.Exact("/slow")), List.of(), toA,
            new Timeouts(Duration.ofMillis(100), null)),
        new Route("a", RouteMatch.of(new PathMatch.Prefix("/")),
            List.of(new Filter.RequestHeaderModifier(List.of(new Header("x-added", "yes")),
                List.of(), List.of("x-drop"))),
            toA))));
  }

  @AfterAll
  void stop() {
    proxy.close();
    a.close();
    h2.close();
  }

  @Test
  void routesAndForwardsLikeHttp11() throws Exception {
    try (H2TestClient c = client()) {
      H2TestClient.Response r = c.get("foo.test", "/x?q=1", "x-drop", "1",
          "x-forwarded-for", "6.6.6.6", "x-http2-stream-id", "99").get(10, TimeUnit.SECONDS);
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.text()).isEqualTo("A");
      assertThat(r.header("x-seen-uri")).isEqualTo("/x?q=1");
      assertThat(r.header("x-seen-host")).isEqualTo("foo.test");
      assertThat(r.header("x-seen-x-forwarded-for")).isEqualTo("127.0.0.1");
      assertThat(r.header("x-seen-x-forwarded-proto")).isEqualTo("http");
      assertThat(r.header("x-seen-x-added")).isEqualTo("yes");
      assertThat(r.header("x-seen-x-drop")).isNull();
      assertThat(r.headers().names()).noneMatch(n -> n.toString().startsWith("x-seen-x-http2"));

      H2TestClient.Response none = c.get("other.test", "/x").get(10, TimeUnit.SECONDS);
      assertThat(none.status()).isEqualTo(404);
      assertThat(none.text()).isEqualTo("route not found");
      H2TestClient.Response moved = c.get("foo.test", "/moved/p").get(10, TimeUnit.SECONDS);
      assertThat(moved.status()).isEqualTo(301);
      assertThat(moved.header("location")).isEqualTo("https://foo.test/moved/p");
      H2TestClient.Response slow = c.get("foo.test", "/slow").get(10, TimeUnit.SECONDS);
      assertThat(slow.status()).isEqualTo(504);
    }
    // HTTP/1.1 on the same listener still works (the preface check let it through).
    try (RawHttp h1 = new RawHttp("127.0.0.1", port + OFFSET)) {
      assertThat(h1.get("foo.test", "/x").body()).isEqualTo("A");
    }
  }

  @Test
  void streamsRequestBodiesAndRelaysTrailers() throws Exception {
    byte[] body = new byte[300 << 10]; // several stream windows: flow control must move
    new Random(7).nextBytes(body);
    try (H2TestClient c = client()) {
      H2TestClient.Response chunked = c.send(
          H2TestClient.headers("POST", "foo.test", "/echo"), body).get(20, TimeUnit.SECONDS);
      assertThat(chunked.status()).isEqualTo(200);
      assertThat(chunked.body()).isEqualTo(body);

      H2TestClient.Response sized = c.send(H2TestClient.headers("POST", "foo.test", "/echo",
          "content-length", String.valueOf(body.length)), body).get(20, TimeUnit.SECONDS);
      assertThat(sized.body()).isEqualTo(body);
      assertThat(sized.header("x-seen-content-length")).isEqualTo(String.valueOf(body.length));

      H2TestClient.Response trailers = c.get("foo.test", "/trailers").get(10, TimeUnit.SECONDS);
      assertThat(trailers.text()).isEqualTo("body");
      assertThat(trailers.trailers()).isNotNull();
      assertThat(trailers.trailers().get("x-checksum")).hasToString("42");
      assertThat(trailers.header("transfer-encoding")).isNull();
    }
  }

  @Test
  void forwardsToAnH2cUpstream() throws Exception {
    byte[] body = new byte[100 << 10];
    new Random(3).nextBytes(body);
    try (H2TestClient c = client()) {
      H2TestClient.Response r = c.get("foo.test", "/h2").get(10, TimeUnit.SECONDS);
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.text()).isEqualTo("H2");
      assertThat(r.header("x-seen-x-http2-stream-id")).isNotNull(); // the upstream spoke HTTP/2
      H2TestClient.Response echo = c.send(H2TestClient.headers("POST", "foo.test", "/echo-h2"),
          body).get(20, TimeUnit.SECONDS);
      assertThat(echo.body()).isEqualTo(body);
    }
  }

  @Test
  void serves100ConcurrentStreamsOnOneConnection() throws Exception {
    try (H2TestClient c = client()) {
      List<CompletableFuture<H2TestClient.Response>> all = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        all.add(c.get("foo.test", "/echo?i=" + i));
      }
      for (int i = 0; i < 100; i++) {
        H2TestClient.Response r = all.get(i).get(20, TimeUnit.SECONDS);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("x-seen-uri")).isEqualTo("/echo?i=" + i);
      }
    }
  }

  @Test
  void advertisesItsLimitsAndRefusesThe101stConcurrentStream() throws Exception {
    try (RawH2 raw = new RawH2("127.0.0.1", port + OFFSET)) {
      RawH2.Frame settings = raw.read();
      assertThat(settings.type()).isEqualTo(RawH2.SETTINGS);
      Map<Integer, Long> values = new HashMap<>();
      for (int i = 0; i < settings.payload().length; i += 6) {
        values.put((settings.payload()[i] & 0xff) << 8 | settings.payload()[i + 1] & 0xff,
            settings.u32(i + 2));
      }
      assertThat(values).containsEntry(3, 100L).containsEntry(4, 65536L)
          .containsEntry(6, 16384L);
      RawH2.Frame window = raw.readUntil(RawH2.WINDOW_UPDATE);
      assertThat(window.stream()).isZero();
      assertThat(window.u32(0)).isEqualTo((1 << 20) - 65535);

      // 101 streams with open bodies, SETTINGS never acknowledged: the limit holds regardless.
      for (int s = 1; s <= 201; s += 2) {
        raw.headers(s, false, ":method", "POST", ":scheme", "http", ":path", "/echo",
            ":authority", "foo.test");
      }
      RawH2.Frame refused = raw.readUntil(RawH2.RST_STREAM);
      assertThat(refused.stream()).isEqualTo(201);
      assertThat(refused.u32(0)).isEqualTo(7); // REFUSED_STREAM
      for (int s = 1; s <= 199; s += 2) {
        raw.frame(RawH2.DATA, RawH2.END_STREAM, s, new byte[0]);
      }
      Set<Integer> answered = new HashSet<>();
      while (answered.size() < 100) {
        RawH2.Frame f = raw.read();
        assertThat(f.type()).isNotIn(RawH2.RST_STREAM, RawH2.GOAWAY);
        if (f.type() == RawH2.HEADERS) {
          answered.add(f.stream());
        }
      }
      assertThat(answered).doesNotContain(201);
    }
  }

  @Test
  void resetsMalformedRequestsBeforeRouting() throws Exception {
    List<String[]> malformed = List.of(
        h(":method", "GET", ":scheme", "http", ":path", "/m", ":authority", "foo.test",
            "connection", "keep-alive"),
        h(":method", "GET", ":scheme", "http", ":path", "/m", ":authority", "foo.test",
            "keep-alive", "5"),
        h(":method", "GET", ":scheme", "http", ":path", "/m", ":authority", "foo.test",
            "proxy-connection", "x"),
        h(":method", "GET", ":scheme", "http", ":path", "/m", ":authority", "foo.test",
            "transfer-encoding", "chunked"),
        h(":method", "GET", ":scheme", "http", ":path", "/m", ":authority", "foo.test",
            "upgrade", "h2c"),
        h(":method", "GET", ":scheme", "http", ":path", "/m", ":authority", "foo.test",
            "te", "gzip"),
        h(":method", "GET", ":scheme", "http", ":authority", "foo.test", "user-agent", "x",
            ":path", "/m"), // pseudo-header after a regular one
        h(":method", "GET", ":scheme", "http", ":authority", "foo.test"), // no :path
        h(":method", "GET", ":path", "/m", ":authority", "foo.test"), // no :scheme
        h(":method", "GET", ":scheme", "http", ":path", "", ":authority", "foo.test"),
        h(":method", "GET", ":scheme", "http", ":path", "pkg.Svc/Method", ":authority",
            "foo.test"),
        h(":method", "GET", ":scheme", "http", ":path", "/m", ":path", "/n", ":authority",
            "foo.test"),
        h(":method", "GET", ":scheme", "http", ":path", "/m", ":authority", "foo.test",
            "host", "other.test"),
        h(":method", "GET", ":scheme", "http", ":path", "/m", ":authority", "foo.test",
            "X-Upper", "1"));
    int before = a.requests.get();
    try (RawH2 raw = new RawH2("127.0.0.1", port + OFFSET)) {
      int stream = 1;
      for (String[] headers : malformed) {
        raw.headers(stream, true, headers);
        RawH2.Frame f = raw.read();
        while (f.type() == RawH2.SETTINGS || f.type() == RawH2.WINDOW_UPDATE) {
          f = raw.read();
        }
        assertThat(f.type()).as("answer to %s", String.join(" ", headers))
            .isEqualTo(RawH2.RST_STREAM);
        assertThat(f.stream()).isEqualTo(stream);
        assertThat(f.u32(0)).as("PROTOCOL_ERROR for %s", String.join(" ", headers))
            .isEqualTo(1);
        stream += 2;
      }
      // Still usable, and what is allowed passes: te: trailers, a host equal to :authority.
      raw.headers(stream, true, ":method", "GET", ":scheme", "http", ":path", "/ok",
          ":authority", "foo.test", "te", "trailers", "host", "FOO.test");
      RawH2.Frame ok = raw.readUntil(RawH2.HEADERS);
      assertThat(ok.stream()).isEqualTo(stream);
    }
    assertThat(a.requests.get() - before).isEqualTo(1);
  }

  @Test
  void bodyNotAddingUpToContentLengthIsResetAndNeverCompletesUpstream() throws Exception {
    int before = a.requests.get();
    try (RawH2 raw = new RawH2("127.0.0.1", port + OFFSET)) {
      raw.headers(1, false, ":method", "POST", ":scheme", "http", ":path", "/echo",
          ":authority", "foo.test", "content-length", "10");
      raw.frame(RawH2.DATA, RawH2.END_STREAM, 1, new byte[5]);
      RawH2.Frame f = raw.readUntil(RawH2.RST_STREAM);
      assertThat(f.stream()).isEqualTo(1);
      assertThat(f.u32(0)).isEqualTo(1); // PROTOCOL_ERROR
    }
    assertThat(a.requests.get()).isEqualTo(before);
  }

  @Test
  void headerListOverTheLimitIsRefused() throws Exception {
    int before = a.requests.get();
    try (RawH2 raw = new RawH2("127.0.0.1", port + OFFSET)) {
      // One frame (under the 16 KiB frame size) whose decoded header list exceeds 16 KiB.
      raw.headers(1, true, ":method", "GET", ":scheme", "http", ":path", "/big",
          ":authority", "foo.test", "x-big", "v".repeat(16_300));
      RawH2.Frame f = raw.read();
      while (f.type() == RawH2.SETTINGS || f.type() == RawH2.WINDOW_UPDATE) {
        f = raw.read();
      }
      assertThat(f.stream()).isEqualTo(1);
      assertThat(f.type()).isIn(RawH2.HEADERS, RawH2.RST_STREAM); // 431, or a reset
      raw.headers(3, true, ":method", "GET", ":scheme", "http", ":path", "/small",
          ":authority", "foo.test");
      for (f = raw.read(); f.stream() != 3; f = raw.read()) {
        assertThat(f.type()).isNotEqualTo(RawH2.GOAWAY);
      }
      assertThat(f.type()).isEqualTo(RawH2.HEADERS);
    }
    assertThat(a.requests.get() - before).isEqualTo(1); // only /small
  }

  @Test
  void rapidResetClosesTheConnectionWithEnhanceYourCalm() throws Exception {
    try (RawH2 raw = new RawH2("127.0.0.1", port + OFFSET)) {
      byte[] cancel = {0, 0, 0, 8};
      long goAway = -1;
      try {
        for (int s = 1; s < 2 * 1000; s += 2) {
          raw.headers(s, false, ":method", "GET", ":scheme", "http", ":path", "/r",
              ":authority", "foo.test");
          raw.frame(RawH2.RST_STREAM, 0, s, cancel);
        }
      } catch (IOException closedWhileWriting) {
        // the proxy may close before all 1000 are written
      }
      try {
        goAway = raw.readUntil(RawH2.GOAWAY).u32(4);
      } catch (IOException closed) {
        // a reset before the GOAWAY could be read
      }
      assertThat(goAway).isIn(-1L, 11L); // ENHANCE_YOUR_CALM
      assertThat(raw.closedByPeer()).isTrue();
    }
  }

  @Test
  void emptyDataFramesFloodClosesTheConnection() throws Exception {
    try (RawH2 raw = new RawH2("127.0.0.1", port + OFFSET)) {
      raw.headers(1, false, ":method", "POST", ":scheme", "http", ":path", "/echo",
          ":authority", "foo.test");
      for (int i = 0; i < 3; i++) {
        raw.frame(RawH2.DATA, 0, 1, new byte[0]);
      }
      assertThat(raw.readUntil(RawH2.GOAWAY).u32(4)).isNotZero();
      assertThat(raw.closedByPeer()).isTrue();
    }
  }

  @Test
  void connectIsNotProxied() throws Exception {
    try (RawH2 raw = new RawH2("127.0.0.1", port + OFFSET)) {
      raw.headers(1, false, ":method", "CONNECT", ":authority", "foo.test:443");
      RawH2.Frame f = raw.readUntil(RawH2.HEADERS);
      assertThat(f.stream()).isEqualTo(1);
      assertThat(f.flags() & RawH2.END_STREAM).isEqualTo(RawH2.END_STREAM);
    }
  }

  @Test
  void h2cUpgradeIsServedAsHttp11AndNeverForwarded() throws Exception {
    String upgrade = "GET /up HTTP/1.1\r\nHost: foo.test\r\n"
        + "Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
        + "HTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n";
    // HTTP2-Settings not named in Connection: still never forwarded.
    String unlisted = "GET /up HTTP/1.1\r\nHost: foo.test\r\nUpgrade: h2c\r\n"
        + "HTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n";
    try (RawHttp h1 = new RawHttp("127.0.0.1", port + OFFSET)) {
      for (String request : List.of(upgrade, unlisted)) {
        RawHttp.Response r = h1.exchange(request);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("A");
        assertThat(r.headers()).doesNotContainKeys("x-seen-upgrade", "x-seen-http2-settings",
            "x-seen-connection", "upgrade");
      }
      // The connection stayed HTTP/1.1.
      assertThat(h1.get("foo.test", "/after").headers()).containsEntry("x-seen-uri", "/after");
    }
  }

  @Test
  void removedListenerSendsGoAwayAndCloses() throws Exception {
    int other = freePort();
    apply(other, new VirtualHost(List.of("*"), List.of(new Route("a",
        RouteMatch.of(new PathMatch.Prefix("/")), List.of(),
        new Action.Forward(List.of(new WeightedCluster("A", 1)), 0)))));
    try (H2TestClient c = new H2TestClient("127.0.0.1", other + OFFSET)) {
      assertThat(c.get("x", "/").get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
      listeners.remove(other);
      apply();
      assertThat(c.channel().closeFuture().await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(c.goAway.get()).isZero(); // NO_ERROR
    }
  }

  // ---- helpers ----

  private static String[] h(String... pairs) {
    return pairs;
  }

  private H2TestClient client() {
    return new H2TestClient("127.0.0.1", port + OFFSET);
  }

  /** Listeners by model port; {@link #apply()} serves exactly these. */
  private final Map<Integer, VirtualHost> listeners = new HashMap<>();

  private void apply(int listenerPort, VirtualHost vhost) {
    listeners.put(listenerPort, vhost);
    apply();
  }

  private void apply() {
    List<io.gatehouse.model.Listener> ls = new ArrayList<>();
    listeners.forEach((p, v) -> ls.add(new HttpListener("l" + p, "127.0.0.1", p, List.of(v))));
    Map<String, Cluster> clusters = Map.of(
        "A", new Cluster("A", List.of(new Endpoint("127.0.0.1", a.port(), 1)),
            UpstreamProtocol.HTTP1),
        "H2", new Cluster("H2", List.of(new Endpoint("127.0.0.1", h2.port(), 1)),
            UpstreamProtocol.H2C));
    long v = VERSION.incrementAndGet();
    assertThat(proxy.apply(v, List.of(new GatewayConfig(new GatewayRef("ns", "g"), 1, ls,
        clusters)))).isEmpty();
  }

  private static int freePort() throws IOException {
    for (int i = 0; i < 50; i++) {
      try (ServerSocket s = new ServerSocket(0)) {
        if (s.getLocalPort() > OFFSET) {
          return s.getLocalPort() - OFFSET;
        }
      }
    }
    throw new IllegalStateException("no free port");
  }
}
