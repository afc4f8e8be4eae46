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
import io.gatehouse.model.PathRewrite;
import io.gatehouse.model.Route;
import io.gatehouse.model.RouteMatch;
import io.gatehouse.model.UpstreamProtocol;
import io.gatehouse.model.VirtualHost;
import io.gatehouse.model.WeightedCluster;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Filters on backendRefs on loopback: each backend's filters apply exactly to the requests sent to
 * it, after the route's own; a redirect on a backend answers instead of forwarding.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BackendFiltersIT {
  private static final int OFFSET = 10_000;
  private static final int REQUESTS = 40;

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
    Filter.RequestHeaderModifier routeEdit = new Filter.RequestHeaderModifier(
        List.of(new Header("x-variant", "route")), List.of(new Header("x-route", "yes")),
        List.of());
    WeightedCluster toA = new WeightedCluster("A", 1, List.of(
        new Filter.RequestHeaderModifier(List.of(new Header("x-variant", "a")), List.of(),
            List.of("x-drop")),
        new Filter.ResponseHeaderModifier(List.of(), List.of(new Header("x-served-by", "a")),
            List.of())));
    WeightedCluster toB = new WeightedCluster("B", 1, List.of(new Filter.UrlRewrite("b.internal",
        new PathRewrite.ReplacePrefixMatch("/split", "/b"))));
    Action.Redirect moved = new Action.Redirect(null, null,
        new PathRewrite.ReplacePrefixMatch("/half", "/new"), null, 302);
    Route split = new Route("split", RouteMatch.of(new PathMatch.Prefix("/split")),
        List.of(routeEdit), new Action.Forward(List.of(toA, toB), 0));
    Route half = new Route("half", RouteMatch.of(new PathMatch.Prefix("/half")), List.of(),
        new Action.Forward(List.of(new WeightedCluster("A", 1,
            List.of(new Filter.RequestRedirect(moved))), new WeightedCluster("B", 1)), 0));
    GatewayConfig config = new GatewayConfig(new GatewayRef("ns", "g"), 1, List.of(
        new HttpListener("ns/g/l", "127.0.0.2", port, List.of(new VirtualHost(List.of("*"),
            List.of(split, half))))),
        Map.of("A", cluster("A", a), "B", cluster("B", b)));
    assertThat(proxy.apply(1, List.of(config))).isEmpty();
  }

  @AfterAll
  void stop() {
    proxy.close();
    a.close();
    b.close();
  }

  @Test
  void eachBackendGetsOnlyItsOwnFilters() throws IOException {
    int seenA = 0;
    int seenB = 0;
    for (int i = 0; i < REQUESTS; i++) {
      RawHttp.Response r = get("/split/x?q=1", "X-Drop: 1");
      assertThat(r.status()).isEqualTo(200);
      if ("A".equals(r.headers().get("x-upstream"))) {
        seenA++;
        assertThat(r.headers()).containsEntry("x-seen-x-variant", "a")
            .containsEntry("x-seen-x-route", "yes").containsEntry("x-served-by", "a")
            .containsEntry("x-seen-uri", "/split/x?q=1").containsEntry("x-seen-host", "x")
            .doesNotContainKey("x-seen-x-drop");
      } else {
        seenB++;
        assertThat(r.headers()).containsEntry("x-upstream", "B")
            .containsEntry("x-seen-x-variant", "route").containsEntry("x-seen-x-drop", "1")
            .containsEntry("x-seen-uri", "/b/x?q=1").containsEntry("x-seen-host", "b.internal")
            .doesNotContainKey("x-served-by");
      }
    }
    // Each side has probability 2^-40 of never being picked.
    assertThat(seenA).isPositive();
    assertThat(seenB).isPositive();
  }

  @Test
  void aRedirectOnABackendAnswersOnlyForThatBackend() throws IOException {
    int before = a.requests.get();
    int redirects = 0;
    for (int i = 0; i < REQUESTS; i++) {
      RawHttp.Response r = get("/half/page?k=v");
      if (r.status() == 302) {
        redirects++;
        assertThat(r.headers()).containsEntry("location", "http://x:" + port + "/new/page?k=v");
      } else {
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.headers()).containsEntry("x-upstream", "B");
      }
    }
    assertThat(redirects).isBetween(1, REQUESTS - 1);
    assertThat(a.requests.get()).as("the redirecting backend is never contacted")
        .isEqualTo(before);
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

  private static Cluster cluster(String name, TestUpstream u) {
    return new Cluster(name, List.of(new Endpoint("127.0.0.1", u.port(), 1)),
        UpstreamProtocol.HTTP1);
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
