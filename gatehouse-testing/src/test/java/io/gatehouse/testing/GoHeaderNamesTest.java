package io.gatehouse.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GoHeaderNamesTest {

  @ParameterizedTest
  @CsvSource({"x-header-set, X-Header-Set", "CONTENT-LENGTH, Content-Length", "host, Host",
      "x-b3-traceid, X-B3-Traceid",
      "www-authenticate, Www-Authenticate", "a--b, A--B", "'bad name', 'bad name'", "x_y, X_y"})
  void canonicalizesLikeGo(String name, String canonical) {
    assertThat(GoHeaderNames.canonical(name)).isEqualTo(canonical);
  }
}
