package io.gatehouse.translator.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HostnamesTest {
  @ParameterizedTest(name = "{0} covers {1}: {2}")
  @CsvSource({
      "*, foo.com, true",
      "*, *.foo.com, true",
      "foo.com, foo.com, true",
      "foo.com, bar.com, false",
      "*.foo.com, a.foo.com, true",
      "*.foo.com, a.b.foo.com, true",
      "*.foo.com, foo.com, false",
      "*.foo.com, afoo.com, false",
      "*.foo.com, *.a.foo.com, true",
      "*.a.foo.com, *.foo.com, false",
      "*.foo.com, *, false",
      "a.foo.com, *.foo.com, false"})
  void covers(String pattern, String host, boolean expected) {
    assertThat(Hostnames.covers(pattern, host)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "listener {0} with route {1} -> {2}")
  @CsvSource(delimiter = '|', value = {
      // listener   | route hostnames                  | intersection
      "             |                                  | *",
      "foo.com      |                                  | foo.com",
      "             | foo.com                          | foo.com",
      "foo.com      | foo.com                          | foo.com",
      "foo.com      | bar.com                          | ''",
      "*.foo.com    | a.foo.com                        | a.foo.com",
      "*.foo.com    | foo.com                          | ''",
      "a.foo.com    | *.foo.com                        | a.foo.com",
      "*.foo.com    | *.a.foo.com                      | *.a.foo.com",
      "*.a.foo.com  | *.foo.com                        | *.a.foo.com",
      "*.foo.com    | *.bar.com                        | ''",
      "*.foo.com    | b.foo.com,a.foo.com,x.com        | a.foo.com,b.foo.com",
      "*.foo.com    | A.Foo.COM                        | a.foo.com"})
  void intersect(String listener, String route, String expected) {
    List<String> routeHostnames = route == null ? List.of() : Arrays.asList(route.split(","));
    List<String> want = expected.isEmpty() ? List.of() : Arrays.asList(expected.split(","));
    assertThat(Hostnames.intersect(listener, routeHostnames)).isEqualTo(want);
  }

  @ParameterizedTest(name = "{0} before {1}")
  @CsvSource({
      "a.foo.com, *.a.foo.com",
      "*.a.foo.com, *.foo.com",
      "*.foo.com, *",
      "a.com, b.com"})
  void mostSpecificFirst(String first, String second) {
    assertThat(Hostnames.MOST_SPECIFIC_FIRST.compare(first, second)).isNegative();
    assertThat(Hostnames.MOST_SPECIFIC_FIRST.compare(second, first)).isPositive();
  }
}
