package io.gatehouse.standalone.settings;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class QuantitiesTest {
  @ParameterizedTest
  @CsvSource({"0, 0", "65536, 65536", "64Ki, 65536", "1Mi, 1048576", "2Gi, 2147483648",
      "64k, 64000", "1M, 1000000", "1G, 1000000000"})
  void parsesQuantities(String text, long bytes) {
    assertThat(Quantities.parse(text)).hasValue(bytes);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "64KB", "64kb", "64K", "1.5Ki", "1e3", "-1", "+1", "64 Ki", "Ki",
      "0x10", "99999999999999999Gi"})
  void refusesAnythingElse(String text) {
    assertThat(Quantities.parse(text)).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({"0, 0", "1000, 1000", "1024, 1Ki", "61440, 60Ki", "1048576, 1Mi", "1049600, 1025Ki",
      "3221225472, 3Gi"})
  void formatsInTheLargestBinaryUnit(long bytes, String text) {
    assertThat(Quantities.format(bytes)).isEqualTo(text);
    assertThat(Quantities.parse(text)).hasValue(bytes);
  }
}
