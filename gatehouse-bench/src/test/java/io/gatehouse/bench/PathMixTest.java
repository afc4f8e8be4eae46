package io.gatehouse.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.bench.PathMix.Sample;
import io.gatehouse.model.PathPolicy;
import io.gatehouse.proxy.edge.PathCanonicalizer;
import io.gatehouse.proxy.edge.PathCanonicalizer.Canonical;
import io.gatehouse.proxy.edge.PathCanonicalizer.Rejected;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The path benchmark measures real work: each path gives the result it claims. */
class PathMixTest {
  @Test
  void everySampleGivesItsResult() {
    List<Sample> all = Stream.of(PathMix.clean(), PathMix.escapes(), PathMix.dots(),
        PathMix.longPaths(), PathMix.refused()).flatMap(List::stream).toList();
    for (Sample s : all) {
      assertThat(PathCanonicalizer.canonicalize(s.path(), PathPolicy.DEFAULT)).as(s.path())
          .isEqualTo(s.expected());
    }
  }

  @Test
  void mixHasEveryKindByWeightAndIsDeterministic() {
    Sample[] mix = PathMix.mix(1024, 42);
    assertThat(mix).containsExactly(PathMix.mix(1024, 42));
    long refused = Arrays.stream(mix).filter(s -> s.expected() instanceof Rejected).count();
    long changed = Arrays.stream(mix).filter(s -> s.expected() instanceof Canonical c
        && !c.path().equals(s.path())).count();
    assertThat(refused).isBetween(30L, 80L);
    assertThat(changed).isGreaterThan(150L);
    assertThat(Arrays.stream(mix).mapToInt(s -> s.path().length()).max().orElse(0))
        .isGreaterThan(180);
  }
}
