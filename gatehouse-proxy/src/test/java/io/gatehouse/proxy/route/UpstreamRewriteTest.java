package io.gatehouse.proxy.route;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.model.Filter;
import io.gatehouse.model.PathRewrite;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The upstream request target after a URLRewrite, table-driven. */
class UpstreamRewriteTest {

  /** prefix (empty = ReplaceFullPath), replacement, request target, expected upstream target. */
  @ParameterizedTest(name = "{0} -> {1}: {2} -> {3}")
  @CsvSource(nullValues = "-", delimiter = '|', value = {
      "/foo |/bar |/foo         |/bar",
      "/foo |/bar |/foo/x?q=1   |/bar/x?q=1",
      "/foo |/bar |/foo/        |/bar/",
      "/foo/|/bar/|/foo/x       |/bar/x",
      "/foo |/    |/foo         |/",
      "/foo |/    |/foo/x?q=1   |/x?q=1",
      "/foo |/    |/foo?q=1     |/?q=1",
      // not the prefix element-wise: kept
      "/foo |/bar |/foobar?q=1  |/foobar?q=1",
      // ReplaceFullPath keeps the query string
      "-    |/one |/full/one/two|/one",
      "-    |/one |/full/a?b=c&d|/one?b=c&d",
  })
  void rewritesThePath(@Nullable String prefix, String replacement, String target,
      String expected) {
    PathRewrite path = prefix == null
        ? new PathRewrite.ReplaceFullPath(replacement)
        : new PathRewrite.ReplacePrefixMatch(prefix, replacement);
    HttpRequest req = request(target);
    UpstreamRewrite.of(List.of(new Filter.UrlRewrite(null, path))).applyTo(req);
    assertThat(req.uri()).isEqualTo(expected);
    assertThat(req.headers().get(HttpHeaderNames.HOST)).isEqualTo("client.test");
  }

  @Test
  void hostnameReplacesTheHostHeaderAndKeepsThePath() {
    HttpRequest req = request("/a?b=c");
    UpstreamRewrite.of(List.of(new Filter.UrlRewrite("example.org", null))).applyTo(req);
    assertThat(req.headers().getAll(HttpHeaderNames.HOST)).containsExactly("example.org");
    assertThat(req.uri()).isEqualTo("/a?b=c");
  }

  @Test
  void noUrlRewriteFilterChangesNothing() {
    HttpRequest req = request("/a?b=c");
    assertThat(UpstreamRewrite.of(List.of())).isSameAs(UpstreamRewrite.NONE);
    UpstreamRewrite.NONE.applyTo(req);
    assertThat(req.uri()).isEqualTo("/a?b=c");
    assertThat(req.headers().get(HttpHeaderNames.HOST)).isEqualTo("client.test");
  }

  private static HttpRequest request(String target) {
    HttpRequest req = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, target);
    req.headers().set(HttpHeaderNames.HOST, "client.test");
    return req;
  }
}
