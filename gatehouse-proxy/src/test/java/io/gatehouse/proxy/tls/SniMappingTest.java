package io.gatehouse.proxy.tls;

import static org.assertj.core.api.Assertions.assertThat;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Certificate selection by SNI: exact, longest wildcard, default, no match. */
class SniMappingTest {
  private static final SniMapping<String> WITH_DEFAULT = new SniMapping.Builder<String>()
      .add("example.org", "exact").add("*.example.org", "wild").add("*.b.example.org", "wild-b")
      .add("Other.Test", "other").add("*", "default").build();
  private static final SniMapping<String> WITHOUT_DEFAULT = new SniMapping.Builder<String>()
      .add("example.org", "exact").add("*.example.org", "wild").add("*.b.example.org", "wild-b")
      .build();

  @ParameterizedTest(name = "{0} -> {1} / {2}")
  @CsvSource(nullValues = "-", value = {
      "example.org,        exact,   exact",
      "EXAMPLE.org.,       exact,   exact",
      "a.example.org,      wild,    wild",
      "x.a.example.org,    wild,    wild",
      "b.example.org,      wild,    wild",
      "x.b.example.org,    wild-b,  wild-b",
      "y.x.b.example.org,  wild-b,  wild-b",
      "other.test,         other,   -",
      "unknown.test,       default, -",
      "notexample.org,     default, -",
      "org,                default, -",
      "'',                 default, -",
      "-,                  default, -",
  })
  void selects(@Nullable String sni, String withDefault, @Nullable String withoutDefault) {
    assertThat(WITH_DEFAULT.select(sni)).isEqualTo(withDefault);
    assertThat(WITHOUT_DEFAULT.select(sni)).isEqualTo(withoutDefault);
  }

  @ParameterizedTest
  @CsvSource({"example.org", "a.example.org", "''"})
  void emptyMappingRefusesEverything(String sni) {
    assertThat(SniMapping.<String>empty().select(sni)).isNull();
  }

  @ParameterizedTest(name = "{0} -> {1} / {2}")
  @CsvSource(nullValues = "-", value = {
      "example.org,        example.org,     example.org",
      "EXAMPLE.org.,       example.org,     example.org",
      "a.example.org,      *.example.org,   *.example.org",
      "y.x.b.example.org,  *.b.example.org, *.b.example.org",
      "other.test,         other.test,      -",
      "unknown.test,       *,               -",
      "[::1],              *,               -",
      "-,                  *,               -",
  })
  void namesTheListenerHostnameThatMatched(@Nullable String name, String withDefault,
      @Nullable String withoutDefault) {
    assertThat(WITH_DEFAULT.selectedName(name)).isEqualTo(withDefault);
    assertThat(WITHOUT_DEFAULT.selectedName(name)).isEqualTo(withoutDefault);
  }
}
