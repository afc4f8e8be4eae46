package io.gatehouse.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.model.Action;
import io.gatehouse.model.Cluster;
import io.gatehouse.model.Endpoint;
import io.gatehouse.model.Filter;
import io.gatehouse.model.GatewayConfig;
import io.gatehouse.model.GatewayRef;
import io.gatehouse.model.Header;
import io.gatehouse.model.HttpListener;
import io.gatehouse.model.Listener;
import io.gatehouse.model.PathMatch;
import io.gatehouse.model.PathRewrite;
import io.gatehouse.model.Route;
import io.gatehouse.model.RouteMatch;
import io.gatehouse.model.UpstreamProtocol;
import io.gatehouse.model.VirtualHost;
import io.gatehouse.model.WeightedCluster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The real {@link GatewayProxy} on 127.0.0.x loopback addresses, forwarding to
 * {@link TestUpstream}s, driven by the JDK HTTP client (HTTP/1.1) and by {@link RawHttp} where the
 * test needs to hold a connection. Every test applies its own complete configuration on fresh
 * ports.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayProxyIT {
  private static final int OFFSET = 10_000;
  private static final AtomicLong VERSION = new AtomicLong();

  private TestUpstream a;
  private TestUpstream b;
  private TestH2cUpstream h2;
  private GatewayProxy proxy;
  private HttpClient client;

  /** The transport under test; {@link NioGatewayProxyIT} runs everything again on NIO. */
  Transport transport() {
    return Transport.of(true);
  }

  @BeforeAll
  void start() {
    a = new TestUpstream("A");
    b = new TestUpstream("B");
    h2 = new TestH2cUpstream();
    proxy = GatewayProxy.start(
        new ProxyOptions(OFFSET, 2, Duration.ofSeconds(2), Duration.ofSeconds(5)), transport());
    client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
  }

  @AfterAll
  void stop() {
    client.close();
    proxy.close();
    a.close();
    b.close();
    h2.close();
  }

  @Test
  void routesByPathAndHost() throws Exception {
    int port = freePort();
    apply(gateway("g", listener("127.0.0.2", port,
        new VirtualHost(List.of("foo.test"),
            List.of(forward("a", new PathMatch.Prefix("/a"), "A"),
                forward("b", new PathMatch.Prefix("/b"), "B"))),
        new VirtualHost(List.of("*.wild.test"),
            List.of(forward("w", new PathMatch.Prefix("/"), "B"))))));

    assertThat(get("127.0.0.2", port, "foo.test", "/a/x").body()).isEqualTo("A");
    assertThat(get("127.0.0.2", port, "foo.test", "/b").body()).isEqualTo("B");
    assertThat(get("127.0.0.2", port, "x.y.wild.test", "/anything").body()).isEqualTo("B");
    HttpResponse<String> noPath = get("127.0.0.2", port, "foo.test", "/ab");
    assertThat(noPath.statusCode()).isEqualTo(404);
    assertThat(noPath.body()).isEqualTo("route not found");
    assertThat(get("127.0.0.2", port, "wild.test", "/").statusCode()).isEqualTo(404);
  }

  @Test
  void splitsTrafficByWeight() throws Exception {
    int port = freePort();
    apply(new GatewayConfig(new GatewayRef("ns", "g"), 1,
        List.of(listener("127.0.0.2", port,
            vhost(new Route("r", RouteMatch.of(new PathMatch.Prefix("/")), List.of(),
                new Action.Forward(
                    List.of(new WeightedCluster("A", 1), new WeightedCluster("B", 3)), 0))))),
        clusters()));
    int n = 1000;
    int fromA = count(n, port, r -> r.body().equals("A"));
    // Binomial(n, 1/4): mean 250, sd ~13.7; 5 sigma keeps the false failure rate below 1e-6.
    assertThat(fromA).isBetween(250 - fiveSigma(n, 0.25), 250 + fiveSigma(n, 0.25));
  }

  @Test
  void invalidShareGets500() throws Exception {
    int port = freePort();
    apply(new GatewayConfig(new GatewayRef("ns", "g"), 1,
        List.of(listener("127.0.0.2", port,
            vhost(new Route("half", RouteMatch.of(new PathMatch.Prefix("/half")), List.of(),
                new Action.Forward(List.of(new WeightedCluster("A", 1)), 1)),
                new Route("none", RouteMatch.of(new PathMatch.Prefix("/none")), List.of(),
                    new Action.Forward(List.of(new WeightedCluster("undefined", 1)), 0))))),
        clusters()));
    HttpResponse<String> none = get("127.0.0.2", port, "x", "/none");
    assertThat(none.statusCode()).isEqualTo(500);
    assertThat(none.body()).isEqualTo("no valid backend");
    int n = 400;
    int errors = count(n, port, "/half", r -> r.statusCode() == 500);
    assertThat(errors).isBetween(200 - fiveSigma(n, 0.5), 200 + fiveSigma(n, 0.5));
  }

  @Test
  void unreachableOrEmptyClusterGets503() throws Exception {
    int port = freePort();
    int closedPort = freePort();
    Cluster refused = new Cluster("refused", List.of(new Endpoint("127.0.0.1", closedPort, 1)),
        UpstreamProtocol.HTTP1);
    Cluster empty = new Cluster("empty", List.of(), UpstreamProtocol.HTTP1);
    apply(new GatewayConfig(new GatewayRef("ns", "g"), 1,
        List.of(listener("127.0.0.2", port, vhost(forward("r", new PathMatch.Prefix("/r"),
            "refused"), forward("e", new PathMatch.Prefix("/e"), "empty")))),
        Map.of("refused", refused, "empty", empty)));
    HttpResponse<String> r = get("127.0.0.2", port, "x", "/r");
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.body()).isEqualTo("upstream connect error");
    HttpResponse<String> e = get("127.0.0.2", port, "x", "/e");
    assertThat(e.statusCode()).isEqualTo(503);
    assertThat(e.body()).isEqualTo("no healthy upstream");
  }

  @Test
  void upstreamResetBeforeTheResponseGets502() throws Exception {
    int port = freePort();
    apply(gateway("g", listener("127.0.0.2", port, vhost(forward("r", new PathMatch.Prefix("/"),
        "A")))));
    assertThat(get("127.0.0.2", port, "x", "/reset").statusCode()).isEqualTo(502);
    assertThat(get("127.0.0.2", port, "x", "/ok").statusCode()).isEqualTo(200);
  }

  @Test
  void upstreamMalformedResponseGets502() throws Exception {
    int port = freePort();
    apply(gateway("g", listener("127.0.0.2", port, vhost(forward("r", new PathMatch.Prefix("/"),
        "A")))));
    HttpResponse<String> r = get("127.0.0.2", port, "x", "/garbage");
    assertThat(r.statusCode()).isEqualTo(502);
  }

  @Test
  void upstreamResetMidResponseClosesTheClientConnection() throws Exception {
    int port = freePort();
    apply(gateway("g", listener("127.0.0.2", port, vhost(forward("r", new PathMatch.Prefix("/"),
        "A")))));
    try (RawHttp raw = new RawHttp("127.0.0.2", port + OFFSET)) {
      raw.send("GET /truncate HTTP/1.1\r\nHost: x\r\n\r\n");
      RawHttp.Response head = raw.readHead();
      assertThat(head.status()).isEqualTo(200);
      assertThat(head.headers()).containsEntry("transfer-encoding", "chunked");
      assertThat(raw.closedByPeerAfterDraining()).isTrue();
    }
  }

  @Test
  void streamsLargeBodiesBothWays() throws Exception {
    int port = freePort();
    apply(gateway("g", listener("127.0.0.2", port, vhost(forward("r", new PathMatch.Prefix("/"),
        "A")))));
    byte[] body = new byte[8 << 20];
    new Random(42).nextBytes(body);
    URI uri = URI.create("http://127.0.0.2:" + (port + OFFSET) + "/echo");
    HttpResponse<byte[]> sized = client.send(
        HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(sized.statusCode()).isEqualTo(200);
    assertThat(Arrays.equals(sized.body(), body)).as("echoed body equals sent body").isTrue();
    HttpResponse<byte[]> chunked = client.send(HttpRequest.newBuilder(uri)
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
        .build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(chunked.statusCode()).isEqualTo(200);
    assertThat(Arrays.equals(chunked.body(), body)).as("echoed chunked body").isTrue();
  }

  @Test
  void relaysChunkedAndCloseDelimitedResponses() throws Exception {
    int port = freePort();
    apply(gateway("g", listener("127.0.0.2", port, vhost(forward("r", new PathMatch.Prefix("/"),
        "A")))));
    try (RawHttp raw = new RawHttp("127.0.0.2", port + OFFSET)) {
      RawHttp.Response chunked = raw.get("x", "/chunked");
      assertThat(chunked.body()).isEqualTo("one,two,three");
      RawHttp.Response unframed = raw.get("x", "/close-delimited");
      assertThat(unframed.headers()).containsEntry("transfer-encoding", "chunked");
      assertThat(unframed.body()).isEqualTo("until close");
      assertThat(raw.get("x", "/again").body()).isEqualTo("A"); // client connection survived
    }
  }

  @Test
  void reusesClientAndUpstreamConnections() throws Exception {
    int port = freePort();
    apply(gateway("g", listener("127.0.0.2", port, vhost(forward("r", new PathMatch.Prefix("/"),
        "B")))));
    int before = b.connections.get();
    try (RawHttp raw = new RawHttp("127.0.0.2", port + OFFSET)) {
      for (int i = 0; i < 20; i++) {
        RawHttp.Response r = raw.get("x", "/k" + i);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("B");
      }
    }
    // One client connection lives on one event loop, which reuses its pooled upstream connection.
    assertThat(b.connections.get() - before).isLessThanOrEqualTo(1);
  }

  @Test
  void setsForwardingHeadersAndAppliesHeaderFilters() throws Exception {
    int port = freePort();
    Route r = new Route("r", RouteMatch.of(new PathMatch.Prefix("/")), List.of(
        new Filter.RequestHeaderModifier(List.of(new Header("x-set", "set")),
            List.of(new Header("x-add", "added")), List.of("x-drop")),
        new Filter.ResponseHeaderModifier(List.of(), List.of(new Header("x-resp", "yes")),
            List.of("x-seen-x-keep"))),
        new Action.Forward(List.of(new WeightedCluster("A", 1)), 0));
    apply(gateway("g", listener("127.0.0.2", port, vhost(r))));
    try (RawHttp raw = new RawHttp("127.0.0.2", port + OFFSET)) {
      RawHttp.Response resp = raw.exchange("GET /h HTTP/1.1\r\nHost: foo.test:8080\r\n"
          + "X-Forwarded-For: 1.2.3.4\r\nConnection: keep-alive, x-hop\r\nx-hop: 1\r\n"
          + "x-drop: 1\r\nx-set: client\r\nx-keep: 1\r\n\r\n");
      assertThat(resp.headers()).containsEntry("x-seen-x-forwarded-for", "127.0.0.1")
          .containsEntry("x-seen-x-forwarded-proto", "http")
          .containsEntry("x-seen-host", "foo.test:8080").containsEntry("x-seen-x-set", "set")
          .containsEntry("x-seen-x-add", "added").containsEntry("x-resp", "yes")
          .doesNotContainKeys("x-seen-x-drop", "x-seen-x-hop", "x-seen-connection",
              "x-seen-x-keep");
    }
  }

  @Test
  void rewritesHostAndPathForTheUpstream() throws Exception {
    int port = freePort();
    Route r = new Route("r", RouteMatch.of(new PathMatch.Prefix("/foo")), List.of(
        new Filter.UrlRewrite("rewritten.example",
            new PathRewrite.ReplacePrefixMatch("/foo", "/bar"))),
        new Action.Forward(List.of(new WeightedCluster("A", 1)), 0));
    apply(gateway("g", listener("127.0.0.2", port, vhost(r))));
    HttpResponse<String> resp = get("127.0.0.2", port, "foo.test", "/foo/x?q=1");
    assertThat(resp.statusCode()).isEqualTo(200);
    assertThat(resp.headers().firstValue("x-seen-host")).hasValue("rewritten.example");
    assertThat(resp.headers().firstValue("x-seen-uri")).hasValue("/bar/x?q=1");
  }

  @Test
  void servesOneGatewayPerAddressOnTheSamePortAndReportsBindFailures() throws Exception {
    int port = freePort();
    try (ServerSocket squatter = new ServerSocket(port + OFFSET, 1,
        InetAddress.getByName("127.0.0.4"))) {
      List<BindFailure> failures = proxy.apply(VERSION.incrementAndGet(), List.of(
          gateway("one", listener("127.0.0.2", port, direct(200, "one"))),
          gateway("two", listener("127.0.0.3", port, direct(200, "two"))),
          gateway("three", listener("127.0.0.4", port, direct(200, "three")))));
      assertThat(failures).singleElement().satisfies(f -> {
        assertThat(f.listener()).isEqualTo("ns/127.0.0.4/" + port);
        assertThat(f.address()).isEqualTo("127.0.0.4:" + (port + OFFSET));
      });
      assertThat(proxy.appliedVersion()).isEqualTo(VERSION.get());
    }
    assertThat(get("127.0.0.2", port, "x", "/").body()).isEqualTo("one");
    assertThat(get("127.0.0.3", port, "x", "/").body()).isEqualTo("two");
  }

  @Test
  void swapsRoutesWithoutLosingRequestsInFlightOrOpenConnections() throws Exception {
    int port = freePort();
    apply(gateway("g", listener("127.0.0.2", port, vhost(forward("r", new PathMatch.Prefix("/"),
        "A")))));
    try (RawHttp kept = new RawHttp("127.0.0.2", port + OFFSET)) {
      assertThat(kept.get("x", "/before").body()).isEqualTo("A");
      int startedBefore = a.requests.get();
      List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
      URI slow = URI.create("http://127.0.0.2:" + (port + OFFSET) + "/slow");
      for (int i = 0; i < 200; i++) {
        inFlight.add(client.sendAsync(HttpRequest.newBuilder(slow).build(),
            HttpResponse.BodyHandlers.ofString()));
      }
      awaitUntil(() -> a.requests.get() - startedBefore >= 20);
      apply(gateway("g", listener("127.0.0.2", port,
          vhost(forward("r", new PathMatch.Prefix("/"), "B")))));
      for (CompletableFuture<HttpResponse<String>> f : inFlight) {
        HttpResponse<String> r = f.get(30, TimeUnit.SECONDS);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isIn("A", "B");
      }
      assertThat(kept.get("x", "/after").body()).as("same connection, new table").isEqualTo("B");
    }
  }

  @Test
  void removedListenerStopsAcceptingAndClosesIdleConnections() throws Exception {
    int kept = freePort();
    int removed = freePort();
    GatewayConfig keep = gateway("keep", listener("127.0.0.2", kept, direct(200, "kept")));
    apply(keep, gateway("gone", listener("127.0.0.3", removed, direct(200, "gone"))));
    try (RawHttp idle = new RawHttp("127.0.0.3", removed + OFFSET)) {
      assertThat(idle.get("x", "/").body()).isEqualTo("gone");
      apply(keep);
      assertThat(idle.closedByPeer()).isTrue();
    }
    assertThat(get("127.0.0.2", kept, "x", "/").body()).isEqualTo("kept");
    // epoll releases the listening socket when apply() returns. NIO only closes a channel that is
    // registered with a selector at that selector's next wake-up (java.nio's deferred close), so
    // the port may still complete handshakes for a moment; it must be refusing within 2 s.
    long deadline = System.nanoTime() + ("epoll".equals(transport().name()) ? 0 : 2_000_000_000L);
    while (System.nanoTime() < deadline && connects("127.0.0.3", removed + OFFSET)) {
      Thread.sleep(20);
    }
    assertThatThrownBy(() -> new Socket("127.0.0.3", removed + OFFSET).close())
        .isInstanceOf(ConnectException.class);
  }

  @Test
  void headRequestsKeepTheConnectionInStep() throws Exception {
    int port = freePort();
    apply(gateway("g", listener("127.0.0.2", port, vhost(forward("r", new PathMatch.Prefix("/"),
        "A")))));
    try (RawHttp raw = new RawHttp("127.0.0.2", port + OFFSET)) {
      raw.send("HEAD /x HTTP/1.1\r\nHost: x\r\n\r\n");
      RawHttp.Response head = raw.readHead();
      assertThat(head.status()).isEqualTo(200);
      assertThat(head.headers()).containsEntry("content-length", "1");
      assertThat(raw.get("x", "/y").body()).isEqualTo("A");
    }
  }

  @Test
  void relaysExpectContinue() throws Exception {
    int port = freePort();
    apply(gateway("g", listener("127.0.0.2", port, vhost(forward("r", new PathMatch.Prefix("/"),
        "A")))));
    try (RawHttp raw = new RawHttp("127.0.0.2", port + OFFSET)) {
      RawHttp.Response interim = raw.exchange("POST /echo HTTP/1.1\r\nHost: x\r\n"
          + "Content-Length: 5\r\nExpect: 100-continue\r\n\r\n");
      assertThat(interim.status()).isEqualTo(100);
      raw.send("hello");
      RawHttp.Response done = raw.read();
      assertThat(done.status()).isEqualTo(200);
      assertThat(done.body()).isEqualTo("hello");
    }
  }

  @Test
  void survivesUpstreamClosingPooledConnections() throws Exception {
    int port = freePort();
    apply(gateway("g", listener("127.0.0.2", port, vhost(forward("r", new PathMatch.Prefix("/"),
        "B")))));
    try (RawHttp raw = new RawHttp("127.0.0.2", port + OFFSET)) {
      for (int i = 0; i < 30; i++) {
        assertThat(raw.get("x", "/close-after").status()).isEqualTo(200);
        assertThat(raw.get("x", "/next").status()).as("request %d after a server close", i)
            .isEqualTo(200);
      }
    }
  }

  @Test
  void http10ClientGetsACloseDelimitedBodyInsteadOfChunks() throws Exception {
    int port = freePort();
    apply(gateway("g", listener("127.0.0.2", port, vhost(forward("r", new PathMatch.Prefix("/"),
        "A")))));
    try (RawHttp raw = new RawHttp("127.0.0.2", port + OFFSET)) {
      RawHttp.Response r = raw.exchange("GET /chunked HTTP/1.0\r\nHost: x\r\n\r\n");
      assertThat(r.headers()).doesNotContainKey("transfer-encoding");
      assertThat(r.body()).isEqualTo("one,two,three");
      assertThat(raw.closedByPeer()).isTrue();
    }
  }

  @Test
  void removedListenerLetsTheRequestInFlightFinish() throws Exception {
    int port = freePort();
    apply(gateway("g", listener("127.0.0.3", port, vhost(forward("r", new PathMatch.Prefix("/"),
        "A")))));
    int before = a.requests.get();
    CompletableFuture<HttpResponse<String>> slow = client.sendAsync(HttpRequest
        .newBuilder(URI.create("http://127.0.0.3:" + (port + OFFSET) + "/slow")).build(),
        HttpResponse.BodyHandlers.ofString());
    awaitUntil(() -> a.requests.get() > before);
    apply(); // no gateways at all
    HttpResponse<String> r = slow.get(10, TimeUnit.SECONDS);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("A");
    assertThat(r.headers().firstValue("connection")).hasValue("close");
    assertThatThrownBy(() -> new Socket("127.0.0.3", port + OFFSET).close())
        .isInstanceOf(ConnectException.class);
  }

  @Test
  void h2cClusterIsServedOverMultiplexedHttp2() throws Exception {
    int port = freePort();
    Cluster h2c = new Cluster("H2", List.of(new Endpoint("127.0.0.1", h2.port(), 1)),
        UpstreamProtocol.H2C);
    apply(new GatewayConfig(new GatewayRef("ns", "g"), 1,
        List.of(listener("127.0.0.2", port, vhost(forward("r", new PathMatch.Prefix("/"), "H2")))),
        Map.of("H2", h2c)));
    int before = h2.connections.get();
    HttpResponse<String> r = get("127.0.0.2", port, "foo.test", "/x");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("H2");
    assertThat(r.headers().firstValue("x-seen-x-http2-stream-id")).isPresent();
    assertThat(r.headers().firstValue("x-http2-stream-id")).isEmpty();
    assertThat(r.headers().firstValue("x-seen-x-forwarded-for")).hasValue("127.0.0.1");
    assertThat(get("127.0.0.2", port, "foo.test", "/empty").statusCode()).isEqualTo(204);

    byte[] body = new byte[512 << 10];
    new Random(1).nextBytes(body);
    URI echo = URI.create("http://127.0.0.2:" + (port + OFFSET) + "/echo");
    List<CompletableFuture<HttpResponse<byte[]>>> concurrent = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      concurrent.add(client.sendAsync(
          HttpRequest.newBuilder(echo).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
          HttpResponse.BodyHandlers.ofByteArray()));
    }
    for (CompletableFuture<HttpResponse<byte[]>> f : concurrent) {
      HttpResponse<byte[]> e = f.get(30, TimeUnit.SECONDS);
      assertThat(e.statusCode()).isEqualTo(200);
      assertThat(Arrays.equals(e.body(), body)).as("echoed over h2c").isTrue();
    }
    // Streams share one connection per event loop (the proxy runs two).
    assertThat(h2.connections.get() - before).isBetween(1, 2);
  }

  // ---- helpers ----

  private void apply(GatewayConfig... gateways) {
    long v = VERSION.incrementAndGet();
    assertThat(proxy.apply(v, List.of(gateways))).isEmpty();
    assertThat(proxy.appliedVersion()).isEqualTo(v);
  }

  private HttpResponse<String> get(String address, int port, String host, String path)
      throws IOException, InterruptedException {
    return client.send(HttpRequest.newBuilder(URI.create("http://" + address + ":"
        + (port + OFFSET) + path)).header("Host", host).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private int count(int n, int port, java.util.function.Predicate<HttpResponse<String>> p)
      throws Exception {
    return count(n, port, "/", p);
  }

  private int count(int n, int port, String path,
      java.util.function.Predicate<HttpResponse<String>> p) throws Exception {
    int hits = 0;
    for (int i = 0; i < n; i++) {
      if (p.test(get("127.0.0.2", port, "x", path))) {
        hits++;
      }
    }
    return hits;
  }

  private static int fiveSigma(int n, double p) {
    return (int) Math.ceil(5 * Math.sqrt(n * p * (1 - p)));
  }

  private static void awaitUntil(java.util.function.BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition within 20 s").isLessThan(deadline);
      Thread.sleep(10);
    }
  }

  /** A free port for {@code port + OFFSET}, returned as the model port (before the offset). */
  private static boolean connects(String host, int port) {
    try (Socket s = new Socket(host, port)) {
      return true;
    } catch (IOException e) {
      return false;
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
    throw new IllegalStateException("no free port");
  }

  private Map<String, Cluster> clusters() {
    return Map.of("A", cluster("A", a), "B", cluster("B", b));
  }

  private Cluster cluster(String name, TestUpstream u) {
    return new Cluster(name, List.of(new Endpoint("127.0.0.1", u.port(), 1)),
        UpstreamProtocol.HTTP1);
  }

  private GatewayConfig gateway(String name, Listener... listeners) {
    return new GatewayConfig(new GatewayRef("ns", name), 1, List.of(listeners), clusters());
  }

  private static HttpListener listener(String address, int port, VirtualHost... vhosts) {
    return new HttpListener("ns/" + address + "/" + port, address, port, List.of(vhosts));
  }

  private static VirtualHost vhost(Route... routes) {
    return new VirtualHost(List.of("*"), List.of(routes));
  }

  private static VirtualHost direct(int status, String body) {
    return vhost(new Route("d", RouteMatch.of(new PathMatch.Prefix("/")), List.of(),
        new Action.DirectResponse(status, body)));
  }

  private static Route forward(String id, PathMatch path, String cluster) {
    return new Route(id, RouteMatch.of(path), List.of(),
        new Action.Forward(List.of(new WeightedCluster(cluster, 1)), 0));
  }
}
