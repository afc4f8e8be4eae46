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
}
