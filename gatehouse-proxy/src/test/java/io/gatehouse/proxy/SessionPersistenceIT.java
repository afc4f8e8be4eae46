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
import io.gatehouse.model.SessionPersistence;
import io.gatehouse.model.UpstreamProtocol;
import io.gatehouse.model.VirtualHost;
import io.gatehouse.model.WeightedCluster;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Session persistence on loopback: two upstreams behind one cluster (round-robin) and a weighted
 * split between two clusters; once a client holds the session token, every request goes to the same
 * upstream, whatever the balancer or the weights would choose.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SessionPersistenceIT {
  private static final int OFFSET = 10_000;
  private static final int REQUESTS = 30;

  private TestUpstream a;
  private TestUpstream b;
  private GatewayProxy proxy;
  private int port;

  @BeforeAll
  void start() throws IOException {
    a = new TestUpstream("A");
    b = new TestUpstream("B");
    proxy = GatewayProxy.start(
        new ProxyOptions(OFFSET, 1, Duration.ofSeconds(2), Duration.ofSeconds(5)),
        Transport.of(false));
    port = freePort();
    Cluster both = new Cluster("AB", List.of(new Endpoint("127.0.0.1", a.port(), 1),
        new Endpoint("127.0.0.1", b.port(), 1)), UpstreamProtocol.HTTP1);
    Cluster onlyA = new Cluster("A", List.of(new Endpoint("127.0.0.1", a.port(), 1)),
        UpstreamProtocol.HTTP1);
    Cluster onlyB = new Cluster("B", List.of(new Endpoint("127.0.0.1", b.port(), 1)),
        UpstreamProtocol.HTTP1);
    Route cookie = new Route("cookie", RouteMatch.of(new PathMatch.Prefix("/cookie")), List.of(),
        new Action.Forward(List.of(new WeightedCluster("AB", 1)), 0,
            new SessionPersistence(SessionPersistence.Type.COOKIE, "sid", "ns/r/rule/0", null,
                false)));
    Route header = new Route("header", RouteMatch.of(new PathMatch.Prefix("/header")),
        List.of(), new Action.Forward(List.of(new WeightedCluster("A", 1),
            new WeightedCluster("B", 1)), 0,
            new SessionPersistence(SessionPersistence.Type.HEADER, "x-session", "ns/r/rule/1",
                null, false)));
    Route plain = new Route("plain", RouteMatch.of(new PathMatch.Prefix("/plain")), List.of(),
        new Action.Forward(List.of(new WeightedCluster("AB", 1)), 0));
    GatewayConfig config = new GatewayConfig(new GatewayRef("ns", "g"), 1, List.of(
        new HttpListener("ns/g/l", "127.0.0.2", port, List.of(new VirtualHost(List.of("*"),
            List.of(cookie, header, plain))))),
        Map.of("AB", both, "A", onlyA, "B", onlyB));
    assertThat(proxy.apply(1, List.of(config))).isEmpty();
  }

  @AfterAll
  void stop() {
    proxy.close();
    a.close();
    b.close();
  }

  @Test
  void aCookieSessionStaysOnOneUpstream() throws IOException {
    RawHttp.Response first = get("/cookie/x");
    assertThat(first.status()).isEqualTo(200);
    String setCookie = first.headers().get("set-cookie");
    assertThat(setCookie).startsWith("sid=").contains("; Path=/cookie").contains("HttpOnly")
        .doesNotContain("Max-Age");
    String cookie = setCookie.substring(0, setCookie.indexOf(';'));
    String upstream = first.headers().get("x-upstream");
    for (int i = 0; i < REQUESTS; i++) {
      RawHttp.Response r = get("/cookie/y", "Cookie: other=1; " + cookie);
      assertThat(r.headers()).containsEntry("x-upstream", upstream)
          .doesNotContainKey("set-cookie");
    }
  }

  @Test
  void withoutTheSessionRequestsAreBalanced() throws IOException {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 4; i++) {
      seen.add(get("/plain").headers().get("x-upstream"));
      seen.add(get("/cookie").headers().get("x-upstream"));
    }
    assertThat(seen).containsExactlyInAnyOrder("A", "B");
  }

  @Test
  void aHeaderSessionOverridesTheWeightedSplit() throws IOException {
    for (int session = 0; session < 6; session++) {
      RawHttp.Response first = get("/header");
      String token = first.headers().get("x-session");
      assertThat(token).isNotEmpty();
      String upstream = first.headers().get("x-upstream");
      // Without the session each request has an even chance of going elsewhere.
      for (int i = 0; i < 10; i++) {
        RawHttp.Response r = get("/header", "x-session: " + token);
        assertThat(r.headers()).containsEntry("x-upstream", upstream)
            .doesNotContainKey("x-session");
      }
    }
  }

  @Test
  void aTokenOfAnotherRuleIsNotHonoured() throws IOException {
    String token = get("/header").headers().get("x-session");
    RawHttp.Response r = get("/cookie", "Cookie: sid=" + token);
    assertThat(r.headers()).containsKey("set-cookie");
  }

  private RawHttp.Response get(String path, String... headers) throws IOException {
    try (RawHttp http = new RawHttp("127.0.0.2", port + OFFSET)) {
      StringBuilder extra = new StringBuilder();
      for (String h : headers) {
        extra.append(h).append("\r\n");
      }
      return http.exchange("GET " + path + " HTTP/1.1\r\nHost: x\r\n" + extra
          + "Connection: close\r\n\r\n");
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
}
