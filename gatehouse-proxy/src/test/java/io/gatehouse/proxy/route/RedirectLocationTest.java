package io.gatehouse.proxy.route;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.model.Action;
import io.gatehouse.model.PathRewrite;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Location construction per the Gateway API HTTPRequestRedirectFilter rules, table-driven. */
class RedirectLocationTest {

  /**
   * scheme, hostname, port (the filter's; empty = unset), request scheme, Host, listener port
   * (Gateway), expected Location for request path /p?q=1.
   */
  @ParameterizedTest(name = "{0}|{1}|{2} on {3}://{4} listener {5} -> {6}")
  @CsvSource(nullValues = "-", delimiter = '|', value = {
      // nothing set: request scheme and host, listener port (left out when well-known)
      "-    |-          |-    |http |foo.test:8080|80  |http://foo.test/p?q=1",
      "-    |-          |-    |http |foo.test     |8080|http://foo.test:8080/p?q=1",
      "-    |-          |-    |https|foo.test     |443 |https://foo.test/p?q=1",
      "-    |-          |-    |https|foo.test     |80  |https://foo.test:80/p?q=1",
      "-    |-          |-    |https|foo.test     |8443|https://foo.test:8443/p?q=1",
      // scheme set, port unset: the scheme's well-known port, left out
      "https|-          |-    |http |foo.test:80  |80  |https://foo.test/p?q=1",
      "http |-          |-    |https|foo.test     |8443|http://foo.test/p?q=1",
      "HTTPS|-          |-    |http |foo.test     |8080|https://foo.test/p?q=1",
      // port set: used, left out only when well-known for the resulting scheme
      "-    |-          |8083 |http |foo.test     |80  |http://foo.test:8083/p?q=1",
      "-    |-          |443  |http |foo.test     |80  |http://foo.test:443/p?q=1",
      "-    |-          |443  |https|foo.test     |8443|https://foo.test/p?q=1",
      "https|-          |8443 |http |foo.test     |80  |https://foo.test:8443/p?q=1",
      "https|-          |443  |http |foo.test     |80  |https://foo.test/p?q=1",
      "http |-          |80   |https|foo.test     |443 |http://foo.test/p?q=1",
      // hostname set: replaces the request's host and its port
      "-    |example.org|-    |http |foo.test:8080|80  |http://example.org/p?q=1",
      "https|example.org|-    |http |foo.test     |80  |https://example.org/p?q=1",
      "-    |example.org|8083 |http |foo.test     |80  |http://example.org:8083/p?q=1",
      // IPv6 literal Host keeps its brackets
      "-    |-          |-    |http |[::1]:8080   |80  |http://[::1]/p?q=1",
  })
  void location(@Nullable String scheme, @Nullable String hostname, @Nullable Integer port,
      String requestScheme, String host, int listenerPort, String expected) {
    RedirectLocation l = new RedirectLocation(new Action.Redirect(scheme, hostname, null, port,
        302));
    assertThat(l.of(requestScheme, host, "/p", "q=1", listenerPort)).isEqualTo(expected);
  }

  static Stream<Arguments> paths() {
    return Stream.of(
        // full path replaced, query kept
        Arguments.of(new PathRewrite.ReplaceFullPath("/full"), "/any/thing", "", "/full"),
        Arguments.of(new PathRewrite.ReplaceFullPath("/full"), "/any", "a=b&c", "/full?a=b&c"),
        // the ReplacePrefixMatch table of the Gateway API HTTPPathModifier
        prefix("/foo/bar", "/foo", "/xyz", "/xyz/bar"),
        prefix("/foo/bar", "/foo", "/xyz/", "/xyz/bar"),
        prefix("/foo/bar", "/foo/", "/xyz", "/xyz/bar"),
        prefix("/foo/bar", "/foo/", "/xyz/", "/xyz/bar"),
        prefix("/foo", "/foo", "/xyz", "/xyz"),
        prefix("/foo/", "/foo", "/xyz", "/xyz/"),
        prefix("/foo/bar", "/foo", "", "/bar"),
        prefix("/foo/", "/foo", "", "/"),
        prefix("/foo", "/foo", "", "/"),
        prefix("/foo/", "/foo", "/", "/"),
        prefix("/foo", "/foo", "/", "/"),
        // conformance: HTTPRouteRedirectPath
        prefix("/original-prefix/lemon", "/original-prefix", "/replacement-prefix",
            "/replacement-prefix/lemon"),
        prefix("/path-and-host", "/path-and-host", "/replacement-prefix", "/replacement-prefix"),
        // root prefix, and a path the prefix does not match (kept)
        prefix("/a/b", "/", "/x", "/x/a/b"),
        prefix("/foobar", "/foo", "/x", "/foobar"),
        // no rewrite: path as received; characters not allowed in a URL are escaped
        Arguments.of(null, "/a%20b/c", "", "/a%20b/c"),
        Arguments.of(new PathRewrite.ReplaceFullPath("/a b\r\nSet-Cookie: x"), "/", "",
            "/a%20b%0D%0ASet-Cookie:%20x"),
        Arguments.of(new PathRewrite.ReplaceFullPath("/caf\u00e9"), "/", "q=\u00e9",
            "/caf%C3%A9?q=%C3%A9"));
  }

  private static Arguments prefix(String path, String prefix, String replacement,
      String expected) {
    return Arguments.of(new PathRewrite.ReplacePrefixMatch(prefix, replacement), path, "",
        expected);
  }

  @ParameterizedTest(name = "{0} on {1}?{2} -> {3}")
  @MethodSource("paths")
  void path(@Nullable PathRewrite rewrite, String path, String query, String expected) {
    RedirectLocation l = new RedirectLocation(new Action.Redirect(null, null, rewrite, null, 301));
    assertThat(l.of("http", "h", path, query, 80)).isEqualTo("http://h" + expected);
  }

  @ParameterizedTest(name = "Host {0}")
  @CsvSource(nullValues = "-", value = {"-", "''", "a b", "a\"b", "a/b"})
  void noUsableHostGivesNull(@Nullable String host) {
    RedirectLocation l = new RedirectLocation(new Action.Redirect("https", null, null, null, 302));
    assertThat(l.of("http", host, "/", "", 80)).isNull();
  }

  @ParameterizedTest(name = "Host {0}")
  @CsvSource(nullValues = "-", value = {"-", "a b"})
  void configuredHostnameNeedsNoHostHeader(@Nullable String host) {
    RedirectLocation l = new RedirectLocation(new Action.Redirect(null, "example.org", null, null,
        302));
    assertThat(l.of("http", host, "/", "", 80)).isEqualTo("http://example.org/");
  }
}
