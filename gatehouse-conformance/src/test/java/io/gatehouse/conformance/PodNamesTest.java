package io.gatehouse.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PodNamesTest {
  @Test
  void namesLookLikeReplicaSetPodsAndAreDeterministic() {
    String a = PodNames.of("infra", "infra-backend-v1", 0);
    String b = PodNames.of("infra", "infra-backend-v1", 1);
    assertThat(a).matches("infra-backend-v1-[bcdfghjklmnpqrstvwxz2456789]{10}-"
        + "[bcdfghjklmnpqrstvwxz2456789]{5}");
    assertThat(a).isEqualTo(PodNames.of("infra", "infra-backend-v1", 0));
    assertThat(b).isNotEqualTo(a);
    assertThat(a.substring(0, a.lastIndexOf('-'))).as("same ReplicaSet hash")
        .isEqualTo(b.substring(0, b.lastIndexOf('-')));
  }

  @Test
  void backendOfDropsTheTwoHashes() {
    assertThat(Pod.backendOf(PodNames.of("infra", "infra-backend-v1", 0)))
        .isEqualTo("infra-backend-v1");
    assertThat(Pod.backendOf("short-name")).isEqualTo("short-name");
  }
}
