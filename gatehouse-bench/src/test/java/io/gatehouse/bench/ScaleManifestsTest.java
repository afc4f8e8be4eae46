package io.gatehouse.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteStatus;
import io.gatehouse.model.GatewayConfig;
import io.gatehouse.model.HttpListener;
import io.gatehouse.proxy.route.RouteEntry;
import io.gatehouse.proxy.route.RouteRequest;
import io.gatehouse.proxy.route.RouteTable;
import io.gatehouse.translator.StatusUpdate;
import io.gatehouse.translator.TranslationResult;
import io.gatehouse.translator.Translator;
import io.gatehouse.translator.TranslatorOptions;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The translation benchmark measures real work: every generated HTTPRoute is accepted with its
 * references resolved, becomes two model routes, and the table built from the result routes a
 * request for the last route to it.
 */
class ScaleManifestsTest {
  @ParameterizedTest
  @ValueSource(ints = {100, 1000})
  void everyRouteIsTranslatedAndRoutable(int routes) {
    ScaleManifests manifests = new ScaleManifests(routes, "127.0.0.1", 8080, "127.0.0.1", 9001);
    assertThat(manifests.snapshot().httpRoutes()).hasSize(routes);
    TranslationResult result = new Translator(TranslatorOptions.defaults())
        .translate(manifests.snapshot());

    assertThat(result.gateways()).hasSize(1);
    GatewayConfig gw = result.gateways().get(0);
    assertThat(gw.listeners()).hasSize(1);
    HttpListener listener = (HttpListener) gw.listeners().get(0);
    // One virtual host per route hostname, plus the listener's own "*" without routes.
    assertThat(listener.virtualHosts().stream().filter(v -> !v.routes().isEmpty()).count())
        .isEqualTo(routes / 10);
    assertThat(listener.virtualHosts().stream().mapToInt(v -> v.routes().size()).sum())
        .isEqualTo(2 * routes);
    assertThat(gw.clusters()).hasSize(routes / 10);

    List<StatusUpdate> routeStatuses = result.statuses().stream()
        .filter(s -> s.status() instanceof HTTPRouteStatus).toList();
    assertThat(routeStatuses).hasSize(routes);
    for (StatusUpdate s : routeStatuses) {
      HTTPRouteStatus status = (HTTPRouteStatus) s.status();
      assertThat(status.getParents()).hasSize(1);
      assertThat(status.getParents().get(0).getConditions())
          .as(s.object().toString())
          .allSatisfy(c -> assertThat(c.getStatus()).isEqualTo("True"))
          .extracting(c -> c.getType()).contains("Accepted", "ResolvedRefs");
    }

    RouteTable table = RouteTable.of(listener, gw.clusters());
    int last = routes - 1;
    assertThat(select(table, last, ScaleManifests.apiPath(last), false).id())
        .isEqualTo(ScaleManifests.routeId(last, 0));
    assertThat(select(table, last, "/r" + last + "/health", true).id())
        .isEqualTo(ScaleManifests.routeId(last, 1));
    assertThat(select(table, last, "/r" + last + "/health", false)).isNull();
    assertThat(select(table, 0, ScaleManifests.apiPath(last), false)).isNull();
  }

  private static RouteEntry select(RouteTable table, int route, String path, boolean probe) {
    HttpHeaders h = new DefaultHttpHeaders();
    if (probe) {
      h.set("x-probe", "yes");
    }
    return table.select(ScaleManifests.hostname(route), new RouteRequest("GET", path, "", h));
  }
}
