package io.gatehouse.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelInvariantsTest {
  @Test
  void forwardNeedsPositiveTotalWeight() {
    assertThatThrownBy(() -> new Action.Forward(List.of(new WeightedCluster("c", 0)), 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(new Action.Forward(List.of(), 1).invalidWeight()).isEqualTo(1);
  }

  @Test
  void listsAreCopied() {
    List<Endpoint> endpoints = new ArrayList<>(List.of(new Endpoint("127.0.0.1", 80, 1)));
    Cluster cluster = new Cluster("c", endpoints, UpstreamProtocol.HTTP1);
    endpoints.clear();
    assertThat(cluster.endpoints()).hasSize(1);
  }

  @Test
  void pathMatchesMustBeAbsolute() {
    assertThatThrownBy(() -> new PathMatch.Prefix("foo"))
        .hasMessageContaining("must start with '/'");
  }

  @Test
  void headerNamesAreLowerCased() {
    assertThat(new HeaderMatch("X-Foo", StringMatchType.EXACT, "v").name()).isEqualTo("x-foo");
  }

  @Test
  void corsNeedsAPositiveMaxAgeAndBelongsToRoutes() {
    assertThatThrownBy(() -> new Filter.Cors(List.of("*"), List.of(), List.of(), List.of(), 0,
        false)).hasMessageContaining("maxAge");
    Filter.Cors cors = new Filter.Cors(List.of("*"), List.of(), List.of(), List.of(), 5, false);
    assertThatThrownBy(() -> new WeightedCluster("c", 1, List.of(cors)))
        .hasMessageContaining("CORS");
  }

  @Test
  void weightedClusterWithoutFiltersHasNone() {
    assertThat(new WeightedCluster("c", 1).filters()).isEmpty();
    assertThat(new Action.Forward(List.of(new WeightedCluster("c", 1)), 0).sessionPersistence())
        .isNull();
  }

  @Test
  void aPermanentSessionCookieNeedsAnAbsoluteTimeout() {
    assertThatThrownBy(() -> new SessionPersistence(SessionPersistence.Type.COOKIE, "s", "r",
        null, true)).hasMessageContaining("permanent");
    assertThatThrownBy(() -> new SessionPersistence(SessionPersistence.Type.HEADER, "s", "r",
        java.time.Duration.ofSeconds(1), true)).hasMessageContaining("permanent");
    assertThatThrownBy(() -> new SessionPersistence(SessionPersistence.Type.COOKIE, "s", "r",
        java.time.Duration.ZERO, false)).hasMessageContaining("positive");
  }

  @Test
  void mirrorShareMustBeAFraction() {
    assertThatThrownBy(() -> new Filter.RequestMirror("c", 3, 2))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Filter.RequestMirror("c", 0, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(Filter.RequestMirror.all("c")).isEqualTo(new Filter.RequestMirror("c", 1, 1));
  }

  @Test
  void retryCodesAreSortedDistinctAndInRange() {
    assertThat(new Retry(List.of(503, 500, 503), 1, null).codes()).containsExactly(500, 503);
    assertThatThrownBy(() -> new Retry(List.of(200), 1, null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Retry(List.of(), -1, null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(Retry.NONE.enabled()).isFalse();
  }

  @Test
  void routeWithoutRetryHasNone() {
    Route r = new Route("r", RouteMatch.of(new PathMatch.Prefix("/")), List.of(),
        new Action.DirectResponse(200, ""), Timeouts.NONE);
    assertThat(r.retry()).isEqualTo(Retry.NONE);
  }
}
