package io.gatehouse.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.model.Action;
import io.gatehouse.model.Cluster;
import io.gatehouse.model.Endpoint;
import io.gatehouse.model.Filter;
import io.gatehouse.model.GatewayConfig;
import io.gatehouse.model.GatewayRef;
import io.gatehouse.model.HttpListener;
import io.gatehouse.model.PathMatch;
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
 * The CORS filter on loopback: the real {@link GatewayProxy} answers preflights itself (the
 * upstream never sees them) and adds the CORS headers to forwarded responses of allowed origins.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CorsIT {
  private static final int OFFSET = 10_000;

  private TestUpstream upstream;
  private GatewayProxy proxy;
  private int port;

  @BeforeAll
  void start() throws IOException {
    upstream = new TestUpstream("U");
    proxy = GatewayProxy.start(
        new ProxyOptions(OFFSET, 1, Duration.ofSeconds(2), Duration.ofSeconds(5)),
        Transport.of(false));
    port = freePort();
    Filter.Cors exact = new Filter.Cors(List.of("https://www.foo.com", "https://*.bar.com"),
        List.of("GET", "OPTIONS"), List.of("x-header-1", "x-header-2"),
        List.of("x-header-3", "x-header-4"), 3600, true);
    Filter.Cors any = new Filter.Cors(List.of("*"), List.of("*"), List.of("*"), List.of(), 5,
        false);
    Filter.Cors anyWithCredentials = new Filter.Cors(List.of("*"), List.of("*"), List.of("*"),
        List.of("*"), 5, true);
    Cluster cluster = new Cluster("U", List.of(new Endpoint("127.0.0.1", upstream.port(), 1)),
        UpstreamProtocol.HTTP1);
    GatewayConfig config = new GatewayConfig(new GatewayRef("ns", "g"), 1, List.of(
        new HttpListener("ns/g/l", "127.0.0.2", port, List.of(new VirtualHost(List.of("*"),
            List.of(route("exact", "/exact", exact), route("any", "/any", any),
                route("creds", "/creds", anyWithCredentials)))))),
        Map.of("U", cluster));
    assertThat(proxy.apply(1, List.of(config))).isEmpty();
  }

  @AfterAll
  void stop() {
    proxy.close();
    upstream.close();
  }

  @Test
  void preflightFromAnAllowedOriginIsAnsweredByTheGateway() throws IOException {
    int before = upstream.requests.get();
    RawHttp.Response r = send("OPTIONS", "/exact", "Origin: https://xpto.www.bar.com",
        "Access-Control-Request-Method: GET", "Access-Control-Request-Headers: x-header-1");
    assertThat(r.status()).isEqualTo(204);
    assertThat(r.headers()).containsEntry("access-control-allow-origin", "https://xpto.www.bar.com")
        .containsEntry("access-control-allow-methods", "GET, OPTIONS")
        .containsEntry("access-control-allow-headers", "x-header-1, x-header-2")
        .containsEntry("access-control-expose-headers", "x-header-3, x-header-4")
        .containsEntry("access-control-max-age", "3600")
        .containsEntry("access-control-allow-credentials", "true")
        .containsEntry("vary", "Origin");
    assertThat(upstream.requests.get()).as("the upstream never saw the preflight")
        .isEqualTo(before);
  }

  @Test
  void preflightFromAnotherOriginGetsNoCorsHeaders() throws IOException {
    for (String origin : List.of("https://foobar.com", "https://bar.com", "http://www.foo.com",
        "https://www.foo.com:8443", "null")) {
      RawHttp.Response r = send("OPTIONS", "/exact", "Origin: " + origin,
          "Access-Control-Request-Method: GET");
      assertThat(r.status()).as(origin).isEqualTo(204);
      assertThat(r.headers()).as(origin).doesNotContainKeys("access-control-allow-origin",
          "access-control-allow-methods", "access-control-allow-credentials");
    }
  }

  @Test
  void actualRequestFromAnAllowedOriginIsForwardedWithCorsHeaders() throws IOException {
    RawHttp.Response r = send("GET", "/exact", "Origin: https://www.foo.com:443");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.headers()).containsEntry("x-upstream", "U")
        .containsEntry("x-seen-origin", "https://www.foo.com:443")
        .containsEntry("access-control-allow-origin", "https://www.foo.com:443")
        .containsEntry("access-control-allow-credentials", "true")
        .containsEntry("access-control-expose-headers", "x-header-3, x-header-4")
        .containsEntry("vary", "Origin")
        .doesNotContainKeys("access-control-allow-methods", "access-control-max-age");
  }

  @Test
  void actualRequestFromAnotherOriginIsForwardedUnchanged() throws IOException {
    RawHttp.Response r = send("GET", "/exact", "Origin: https://foobar.com");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.headers()).containsEntry("x-upstream", "U").containsEntry("vary", "Origin")
        .doesNotContainKeys("access-control-allow-origin", "access-control-allow-credentials");
  }

  @Test
  void wildcardWithoutCredentialsAnswersAStarAndEchoesMethodAndHeaders() throws IOException {
    RawHttp.Response r = send("OPTIONS", "/any", "Origin: https://foobar.com:12345",
        "Access-Control-Request-Method: PUT", "Access-Control-Request-Headers: x-a, x-b");
    assertThat(r.status()).isEqualTo(204);
    assertThat(r.headers()).containsEntry("access-control-allow-origin", "*")
        .containsEntry("access-control-allow-methods", "PUT")
        .containsEntry("access-control-allow-headers", "x-a, x-b")
        .containsEntry("access-control-max-age", "5")
        .doesNotContainKey("access-control-allow-credentials");
  }

  @Test
  void wildcardWithCredentialsNeverAnswersAStar() throws IOException {
    RawHttp.Response pre = send("OPTIONS", "/creds", "Origin: https://other.foo.com",
        "Access-Control-Request-Method: PUT", "Access-Control-Request-Headers: x-header-1");
    assertThat(pre.headers()).containsEntry("access-control-allow-origin", "https://other.foo.com")
        .containsEntry("access-control-allow-methods", "PUT")
        .containsEntry("access-control-allow-headers", "x-header-1")
        .containsEntry("access-control-allow-credentials", "true")
        .doesNotContainKey("access-control-expose-headers");
    RawHttp.Response actual = send("GET", "/creds", "Origin: https://other.foo.com");
    assertThat(actual.headers())
        .containsEntry("access-control-allow-origin", "https://other.foo.com")
        .containsEntry("access-control-allow-credentials", "true");
    assertThat(actual.headers().get("access-control-expose-headers")).contains("x-upstream")
        .doesNotContain("*");
    RawHttp.Response opaque = send("GET", "/creds", "Origin: null");
    assertThat(opaque.headers()).doesNotContainKey("access-control-allow-origin");
  }

  @Test
  void optionsWithoutCorsHeadersIsForwarded() throws IOException {
    RawHttp.Response r = send("OPTIONS", "/exact", "Origin: https://www.foo.com");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.headers()).containsEntry("x-upstream", "U")
        .containsEntry("access-control-allow-origin", "https://www.foo.com");
  }

  private RawHttp.Response send(String method, String path, String... headers)
      throws IOException {
    try (RawHttp http = new RawHttp("127.0.0.2", port + OFFSET)) {
      return http.exchange(method + " " + path + " HTTP/1.1\r\nHost: x\r\n"
          + String.join("\r\n", headers) + "\r\nConnection: close\r\n\r\n");
    }
  }

  private static Route route(String id, String prefix, Filter.Cors cors) {
    return new Route(id, RouteMatch.of(new PathMatch.Prefix(prefix)), List.of(cors),
        new Action.Forward(List.of(new WeightedCluster("U", 1)), 0));
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
