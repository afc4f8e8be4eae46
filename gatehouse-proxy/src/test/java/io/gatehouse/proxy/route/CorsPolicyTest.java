package io.gatehouse.proxy.route;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.model.Filter;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class CorsPolicyTest {
  private static CorsPolicy policy(List<String> origins, boolean credentials) {
    return CorsPolicy.of(List.of(new Filter.Cors(origins, List.of(), List.of(), List.of(), 5,
        credentials)));
  }

  @ParameterizedTest
  @CsvSource({
      "https://www.foo.com, https://www.foo.com, true",
      "https://www.foo.com, https://WWW.FOO.COM, true",
      "https://www.foo.com, https://www.foo.com:443, true",
      "https://www.foo.com, https://www.foo.com:8443, false",
      "https://www.foo.com, http://www.foo.com, false",
      "https://www.foo.com, https://foo.com, false",
      "https://www.foo.com, https://www.foo.com/, false",
      "http://localhost:8080, http://localhost:8080, true",
      "http://localhost:8080, http://localhost, false",
      "https://*.bar.com, https://www.bar.com, true",
      "https://*.bar.com, https://a.b.c.bar.com, true",
      "https://*.bar.com, https://bar.com, false",
      "https://*.bar.com, https://www.bar.com.evil.com, false",
      "https://*.bar.com, https://wwwbar.com, false",
      "https://*.bar.com, https://.bar.com, false",
      "https://*.bar.com, https://www.bar.com:444, false",
      "https://*, https://anything.example, true",
      "https://*, http://anything.example, false",
      "https://*, null, false",
  })
  void matchesOrigins(String allowed, String origin, boolean match) {
    assertThat(policy(List.of(allowed), false).allowOrigin(origin) != null).isEqualTo(match);
  }

  @Test
  void starWithoutCredentialsIsAnsweredLiterallyAndAllowsOpaqueOrigins() {
    assertThat(policy(List.of("*"), false).allowOrigin("https://a.example:1")).isEqualTo("*");
    assertThat(policy(List.of("*"), false).allowOrigin("null")).isEqualTo("*");
  }

  @Test
  void starWithCredentialsEchoesOnlyRealOrigins() {
    assertThat(policy(List.of("*"), true).allowOrigin("https://a.example:1"))
        .isEqualTo("https://a.example:1");
    assertThat(policy(List.of("*"), true).allowOrigin("null")).isNull();
    assertThat(policy(List.of("*"), true).allowOrigin(null)).isNull();
  }

  @Test
  void varyIsAddedOnceAndRespectsAnExistingList() {
    HttpHeaders h = new DefaultHttpHeaders().add("Vary", "Accept-Encoding, origin");
    CorsPolicy.addVary(h, "Origin");
    assertThat(h.getAll("Vary")).containsExactly("Accept-Encoding, origin");
    HttpHeaders other = new DefaultHttpHeaders().add("Vary", "Accept-Encoding");
    CorsPolicy.addVary(other, "Origin");
    assertThat(other.getAll("Vary")).containsExactly("Accept-Encoding", "Origin");
  }

  @Test
  void echoedRequestHeadersKeepOnlyTokens() {
    CorsPolicy p = CorsPolicy.of(List.of(new Filter.Cors(List.of("*"), List.of("*"),
        List.of("*"), List.of(), 5, false)));
    HttpHeaders req = new DefaultHttpHeaders().add("Origin", "https://a.example")
        .add("Access-Control-Request-Method", "PUT")
        .add("Access-Control-Request-Headers", "x-a, bad header, ,x-b");
    HttpHeaders resp = new DefaultHttpHeaders();
    p.preflightHeaders(req, resp);
    assertThat(resp.get("Access-Control-Allow-Headers")).isEqualTo("x-a, x-b");
    assertThat(resp.get("Access-Control-Allow-Methods")).isEqualTo("PUT");
  }
}
