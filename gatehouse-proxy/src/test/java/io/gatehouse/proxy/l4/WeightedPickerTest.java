package io.gatehouse.proxy.l4;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WeightedPickerTest {
  @Test
  void picksExactlyByWeightOverEveryWindowAndNeverAZeroWeight() {
    WeightedPicker p = new WeightedPicker(new int[]{70, 30, 0});
    int[] counts = new int[3];
    for (int i = 0; i < 1000; i++) {
      counts[p.pick()]++;
    }
    assertThat(counts).containsExactly(700, 300, 0);
  }

  @Test
  void spreadsPicksRatherThanRunningThemTogether() {
    WeightedPicker p = new WeightedPicker(new int[]{1, 1});
    assertThat(new int[]{p.pick(), p.pick(), p.pick(), p.pick()})
        .containsExactly(0, 1, 0, 1);
  }

  @Test
  void allZeroWeightsPickNothing() {
    assertThat(new WeightedPicker(new int[]{0, 0}).pick()).isEqualTo(-1);
    assertThat(new WeightedPicker(new int[0]).pick()).isEqualTo(-1);
  }

  @Test
  void largeWeightSumsPickAtRandomByWeight() {
    WeightedPicker p = new WeightedPicker(new int[]{1_000_000, 1, 0});
    int first = 0;
    for (int i = 0; i < 1000; i++) {
      int pick = p.pick();
      assertThat(pick).isNotEqualTo(2);
      first += pick == 0 ? 1 : 0;
    }
    assertThat(first).isGreaterThan(990);
  }
}
