package io.gatehouse.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.proxy.route.RouteRequest;
import io.gatehouse.proxy.route.RouteTable;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import org.junit.jupiter.api.Test;

/**
 * The apply benchmark measures real work: the proxy binds the listener once and every further apply
 * succeeds; the table it builds routes the last route.
 */
class ProxyApplyBenchmarkTest {
  @Test
  void appliesAndBuildsARoutingTable() {
    ProxyApplyBenchmark bench = new ProxyApplyBenchmark();
    bench.routes = 100;
    bench.setUp();
    try {
      for (int i = 0; i < 3; i++) {
        assertThat(bench.apply()).isEmpty();
      }
      RouteTable table = bench.buildTable();
      assertThat(table.select(ScaleManifests.hostname(99), new RouteRequest("GET",
          ScaleManifests.apiPath(99), "", new DefaultHttpHeaders())).id())
          .isEqualTo(ScaleManifests.routeId(99, 0));
    } finally {
      bench.tearDown();
    }
  }
}
