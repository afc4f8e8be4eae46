package io.gatehouse.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GoDurationTest {

  @ParameterizedTest
  @CsvSource({"1s, 1000000000", "500ms, 500000000", "1.5s, 1500000000", "0, 0", "+2us, 2000",
      "2\u00b5s, 2000",
      "-1s, -1000000000", "1h2m3s, 3723000000000", "1.s, 1000000000", ".5s, 500000000", "10ns, 10",
      "1m30s, 90000000000"})
  void parsesGoDurations(String text, long nanos) {
    assertThat(GoDuration.parse(text)).isEqualTo(Duration.ofNanos(nanos));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "s", "1", "1x", ".s", "1..5s", "-", "abc", "1s2", "3000000h"})
  void rejectsWhatGoRejects(String text) {
    assertThatIllegalArgumentException().isThrownBy(() -> GoDuration.parse(text))
        .withMessageStartingWith("time: ");
  }
}
