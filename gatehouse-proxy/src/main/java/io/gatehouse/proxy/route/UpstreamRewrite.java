package io.gatehouse.proxy.route;

import io.gatehouse.model.Filter;
import io.gatehouse.model.PathRewrite;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A route's {@code URLRewrite} filter (Gateway API {@code HTTPURLRewriteFilter}) compiled for the
 * request forwarded upstream: the configured hostname replaces the {@code Host} header, and the
 * path is replaced whole or has its matched prefix replaced element-wise, as a redirect's path is
 * ({@link RedirectLocation#rewritePath}); the query string is kept. Immutable.
 */
public final class UpstreamRewrite {
  /** A rewrite that changes nothing. */
  public static final UpstreamRewrite NONE = new UpstreamRewrite(null, null);

  private final @Nullable String hostname;
  private final @Nullable PathRewrite path;

  private UpstreamRewrite(@Nullable String hostname, @Nullable PathRewrite path) {
    this.hostname = hostname;
    this.path = path;
  }

  /** The rewrite of the route's (at most one) {@link Filter.UrlRewrite}. */
  static UpstreamRewrite of(List<Filter> filters) {
    for (Filter f : filters) {
      if (f instanceof Filter.UrlRewrite u) {
        return new UpstreamRewrite(u.hostname(), u.path());
      }
    }
    return NONE;
  }

  /** Rewrites {@code request}'s {@code Host} header and URI in place. */
  public void applyTo(HttpRequest request) {
    if (hostname != null) {
      request.headers().set(HttpHeaderNames.HOST, hostname);
    }
    if (path != null) {
      request.setUri(uri(request.uri()));
    }
  }

  /** {@code uri} (origin form: path and optional query) with its path rewritten. */
  String uri(String uri) {
    int q = uri.indexOf('?');
    String p = q < 0 ? uri : uri.substring(0, q);
    String query = q < 0 ? "" : uri.substring(q);
    return RedirectLocation.rewritePath(path, p) + query;
  }
}
