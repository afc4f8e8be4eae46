package io.gatehouse.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.bench.RouteFixture.Probe;
import io.gatehouse.proxy.route.RouteEntry;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The benchmark measures what it claims: every probe selects its own route, misses miss. */
class RouteFixtureTest {
  @ParameterizedTest
  @ValueSource(ints = {10, 1000, 10000})
  void everyProbeSelectsItsRoute(int routes) {
    RouteFixture fixture = RouteFixture.of(routes);
    assertThat(fixture.probes()).hasSize(routes);
    for (Probe p : fixture.probes()) {
      RouteEntry selected = fixture.table().select(p.authority(), p.request());
      assertThat(selected).as(p.toString()).isNotNull();
      assertThat(selected.id()).as(p.toString()).isEqualTo(p.expectedRouteId());
    }
  }

  @Test
  void conditionsAreChecked() {
    RouteFixture fixture = RouteFixture.of(10);
    Probe tenant = fixture.probes().get(3);
    Probe withoutHeader = new Probe(tenant.authority(), "GET", tenant.path(), "",
        fixture.probes().get(0).headers(), "");
    assertThat(fixture.table().select(withoutHeader.authority(), withoutHeader.request()))
        .isNull();
    Probe orders = fixture.probes().get(2);
    Probe post = new Probe(orders.authority(), "POST", orders.path(), "", orders.headers(), "");
    assertThat(fixture.table().select(post.authority(), post.request())).isNull();
    assertThat(fixture.table().select("unknown.example.org", orders.request())).isNull();
  }

  @Test
  void sampleIsDeterministic() {
    RouteFixture fixture = RouteFixture.of(1000);
    assertThat(fixture.sample(64, 42)).containsExactly(fixture.sample(64, 42));
  }

  @ParameterizedTest
  @ValueSource(ints = {10, 10000})
  void distinctSampleSelectsTheSameRoutesFromCopies(int routes) {
    RouteFixture fixture = RouteFixture.of(routes);
    Probe[] shared = fixture.sample(1024, 42);
    Probe[] distinct = fixture.distinctSample(1024, 42);
    for (int i = 0; i < distinct.length; i++) {
      Probe p = distinct[i];
      assertThat(p.authority()).isEqualTo(shared[i].authority()).isNotSameAs(shared[i].authority());
      assertThat(p.headers()).isNotSameAs(shared[i].headers());
      RouteEntry selected = fixture.table().select(p.authority(), p.request());
      assertThat(selected).as(p.toString()).isNotNull();
      assertThat(selected.id()).isEqualTo(p.expectedRouteId());
    }
  }

  @Test
  void rejectsSizesThatAreNotMultiplesOfTen() {
    assertThatThrownBy(() -> RouteFixture.of(15)).isInstanceOf(IllegalArgumentException.class);
  }
}
