package io.gatehouse.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Path, host and weighted routing through the real standalone gateway to real echo backends. */
class RoutingIT {
  static final String GW = "127.0.10.1";
  @TempDir
  static Path tmp;
  static GatewayHarness h;

  @BeforeAll
  static void start() throws Exception {
    Path dir = tmp.resolve("config");
    java.nio.file.Files.createDirectories(dir);
    h = new GatewayHarness(dir);
    h.pod("127.0.11.1", "catalog-" + Manifests.podSuffix("127.0.11.1"), Manifests.NS);
    h.pod("127.0.11.2", "catalog-" + Manifests.podSuffix("127.0.11.2"), Manifests.NS);
    h.pod("127.0.11.3", "cart-" + Manifests.podSuffix("127.0.11.3"), Manifests.NS);
    h.pod("127.0.11.4", "api-v1-" + Manifests.podSuffix("127.0.11.4"), Manifests.NS);
    h.pod("127.0.11.5", "api-v2-" + Manifests.podSuffix("127.0.11.5"), Manifests.NS);
    h.write("gateway.yaml", Manifests.gatewayClass() + "---\n" + Manifests.gateway("web", GW));
    h.write("services.yaml", String.join("---\n",
        Manifests.service("catalog", List.of("127.0.11.1", "127.0.11.2")),
        Manifests.service("cart", List.of("127.0.11.3")),
        Manifests.service("api-v1", List.of("127.0.11.4")),
        Manifests.service("api-v2", List.of("127.0.11.5"))));
    h.write("routes.yaml", String.join("---\n",
        Manifests.route("shop", "web", "shop.example.com", "/catalog=catalog", "/cart=cart",
            "/broken=missing"),
        Manifests.route("api", "web", "api.example.com", "/=api-v1:80,api-v2:20")));
    h.start();
  }

  @AfterAll
  static void stop() {
    h.close();
  }

  @Test
  void routesByPathToTheRightService() throws Exception {
    assertThat(h.pod(h.get(GW, 80, "shop.example.com", "/catalog/items?id=3")))
        .startsWith("catalog-");
    assertThat(h.pod(h.get(GW, 80, "shop.example.com", "/cart"))).startsWith("cart-");
  }

  @Test
  void prefixMatchesWholePathElementsOnly() throws Exception {
    assertThat(h.get(GW, 80, "shop.example.com", "/catalogue").statusCode()).isEqualTo(404);
  }

  @Test
  void routesByHost() throws Exception {
    assertThat(h.pod(h.get(GW, 80, "api.example.com", "/catalog"))).startsWith("api-v");
    assertThat(h.get(GW, 80, "unknown.example.com", "/catalog").statusCode()).isEqualTo(404);
  }

  @Test
  void spreadsOverTheEndpointsOfAService() throws Exception {
    java.util.Set<String> pods = new java.util.HashSet<>();
    for (int i = 0; i < 20; i++) {
      pods.add(h.pod(h.get(GW, 80, "shop.example.com", "/catalog")));
    }
    assertThat(pods).hasSize(2);
  }

  @Test
  void splitsTrafficByWeight() throws Exception {
    int n = 1000;
    int v2 = 0;
    for (int i = 0; i < n; i++) {
      if (h.pod(h.get(GW, 80, "api.example.com", "/")).startsWith("api-v2-")) {
        v2++;
      }
    }
    // Binomial(n, 0.2): five standard deviations either side fails a correct split about once in
    // 1.7 million runs, and catches any split off by more than ~6 points.
    double p = 0.2;
    double sigma = Math.sqrt(n * p * (1 - p));
    assertThat((double) v2).isBetween(n * p - 5 * sigma, n * p + 5 * sigma);
  }

  @Test
  void answers500ForARuleWhoseBackendDoesNotExist() throws Exception {
    HttpResponse<String> response = h.get(GW, 80, "shop.example.com", "/broken");
    assertThat(response.statusCode()).isEqualTo(500);
  }

  @Test
  void forwardsClientAddressAndOriginalHost() throws Exception {
    JsonNode echo = new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(h.get(GW, 80, "shop.example.com", "/cart").body());
    assertThat(echo.path("host").asText()).isEqualTo("shop.example.com");
    assertThat(echo.path("headers").path("X-Forwarded-For").get(0).asText()).isEqualTo("127.0.0.1");
    assertThat(echo.path("headers").path("X-Forwarded-Proto").get(0).asText()).isEqualTo("http");
  }

  @Test
  void reportsStatusOnTheAdminApi() throws Exception {
    assertThat(h.adminStatus("/ready")).isEqualTo(200);
    JsonNode gateway = h.admin("/objects/Gateway/e2e/web");
    assertThat(gateway.at("/status/addresses/0/value").asText()).isEqualTo(GW);
    assertThat(conditions(gateway.at("/status/conditions")))
        .contains("Accepted=True", "Programmed=True");
    JsonNode route = h.admin("/objects/HTTPRoute/e2e/shop");
    JsonNode parent = route.at("/status/parents/0");
    assertThat(parent.path("controllerName").asText()).isEqualTo("gatehouse.io/gateway-controller");
    assertThat(conditions(parent.path("conditions"))).contains("Accepted=True",
        "ResolvedRefs=False");
  }

  static List<String> conditions(JsonNode conditions) {
    List<String> out = new java.util.ArrayList<>();
    conditions.forEach(c -> out.add(c.path("type").asText() + "=" + c.path("status").asText()));
    return out;
  }
}
