package io.gatehouse.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SmoothWeightedRoundRobinTest {

  @Test
  void picksEachIndexExactlyItsWeightPerRoundAndSpreadsThem() {
    SmoothWeightedRoundRobin rr = new SmoothWeightedRoundRobin(new int[]{5, 1, 1});
    StringBuilder seq = new StringBuilder();
    for (int i = 0; i < 14; i++) {
      seq.append(rr.next());
    }
    // nginx's documented sequence for weights 5,1,1: a a b a c a a, twice.
    assertThat(seq).hasToString("00102000010200");
  }

  @Test
  void equalWeightsAlternate() {
    SmoothWeightedRoundRobin rr = new SmoothWeightedRoundRobin(new int[]{1, 1});
    assertThat(new int[]{rr.next(), rr.next(), rr.next(), rr.next()})
        .containsExactly(0, 1, 0, 1);
  }
}
