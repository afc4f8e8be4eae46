package io.gatehouse.standalone.settings;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {
  @ParameterizedTest
  @CsvSource({
      "10s, PT10S", "500ms, PT0.5S", "1h, PT1H", "1h30m, PT1H30M", "1m30s, PT1M30S",
      "1.5s, PT1.5S", ".5s, PT0.5S", "2.h, PT2H", "100us, PT0.0001S", "100µs, PT0.0001S",
      "7ns, PT0.000000007S", "0, PT0S", "0s, PT0S", "-1s, PT-1S", "+2m, PT2M", "1s1s, PT2S"})
  void parsesGoDurations(String text, Duration expected) {
    assertThat(Durations.parse(text)).hasValue(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "10", "10x", "s", "1.5", "1 s", "1S", "1d", "1h 30m", "PT10S",
      "--1s", "1e3s", "3000000h"})
  void refusesAnythingElse(String text) {
    assertThat(Durations.parse(text)).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({"PT10S, 10s", "PT1H, 1h", "PT5M, 5m", "PT1M30S, 1m30s", "PT0.25S, 250ms",
      "PT1.5S, 1.5s", "PT0S, 0s", "PT0.0001S, 100us", "PT0.000000007S, 7ns", "PT26H, 26h",
      "PT1H0.5S, 1h0.5s", "PT-2S, -2s"})
  void formatsShortestAndReadsBack(Duration d, String text) {
    assertThat(Durations.format(d)).isEqualTo(text);
    assertThat(Durations.parse(text)).hasValue(d);
  }
}
