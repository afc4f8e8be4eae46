package io.gatehouse.model;

import static java.util.Objects.requireNonNull;

import java.util.List;
import org.jspecify.annotations.Nullable;

/** A transformation applied to a matched request or its response. */
public sealed interface Filter {
  /** Edits request headers before forwarding: set (replace), add (append), then remove. */
  record RequestHeaderModifier(List<Header> set, List<Header> add, List<String> remove)
      implements
        Filter {
    public RequestHeaderModifier {
      set = List.copyOf(set);
      add = List.copyOf(add);
      remove = List.copyOf(remove);
    }
  }

  /** Edits response headers before they go to the client: set, add, then remove. */
  record ResponseHeaderModifier(List<Header> set, List<Header> add, List<String> remove)
      implements
        Filter {
    public ResponseHeaderModifier {
      set = List.copyOf(set);
      add = List.copyOf(add);
      remove = List.copyOf(remove);
    }
  }

  /**
   * Rewrites the request forwarded upstream (Gateway API {@code HTTPURLRewriteFilter}): {@code
   * hostname}, when set, replaces the {@code Host} header; {@code path}, when set, rewrites the
   * path (the query string is kept). At least one of them is set.
   */
  record UrlRewrite(@Nullable String hostname, @Nullable PathRewrite path) implements Filter {
    public UrlRewrite {
      if (hostname == null && path == null) {
        throw new IllegalArgumentException("a URL rewrite needs a hostname or a path");
      }
    }
  }

  /**
   * Cross-origin resource sharing (Gateway API {@code HTTPCORSFilter}): the gateway answers
   * preflight requests itself and adds the {@code Access-Control-*} headers to the responses of
   * allowed origins.
   *
   * @param allowOrigins {@code *} alone, or origins {@code <scheme>://<host>[:<port>]} in lower
   * case whose host may start with a {@code *.} label (any number of labels to its left)
   * @param allowMethods methods, or {@code *} alone; empty sends no
   * {@code Access-Control-Allow-Methods}
   * @param allowHeaders header names, or {@code *} alone
   * @param exposeHeaders header names, or {@code *} alone
   * @param maxAge seconds a preflight answer may be cached, at least 1
   * @param allowCredentials whether {@code Access-Control-Allow-Credentials: true} is sent (and no
   * {@code *} is ever answered)
   */
  record Cors(List<String> allowOrigins, List<String> allowMethods, List<String> allowHeaders,
      List<String> exposeHeaders, int maxAge, boolean allowCredentials) implements Filter {
    public Cors {
      allowOrigins = List.copyOf(allowOrigins);
      allowMethods = List.copyOf(allowMethods);
      allowHeaders = List.copyOf(allowHeaders);
      exposeHeaders = List.copyOf(exposeHeaders);
      if (maxAge < 1) {
        throw new IllegalArgumentException("maxAge < 1");
      }
    }
  }

  /**
   * Answers with a redirect instead of forwarding (a {@code RequestRedirect} filter where the
   * Gateway API allows it as a filter: on a backendRef, where it applies only when that backend is
   * chosen). On a rule the redirect is the route's {@link Action.Redirect} instead.
   */
  record RequestRedirect(Action.Redirect redirect) implements Filter {
    public RequestRedirect {
      requireNonNull(redirect, "redirect");
    }
  }

  /**
   * Sends a copy of the request to another cluster as well (Gateway API {@code
   * HTTPRequestMirrorFilter}), fire-and-forget: the copy's response is discarded and never delays
   * or changes the answer to the client. The copy carries the request as forwarded, after the
   * route's header modifiers and URL rewrite. A share {@code numerator / denominator} of the
   * matching requests is mirrored (a {@code percent} is {@code percent / 100}).
   *
   * @param cluster the cluster the copies go to (defined in the Gateway's clusters)
   * @param numerator 0 to {@code denominator}
   * @param denominator at least 1
   */
  record RequestMirror(String cluster, int numerator, int denominator) implements Filter {
    public RequestMirror {
      requireNonNull(cluster, "cluster");
      if (denominator < 1 || numerator < 0 || numerator > denominator) {
        throw new IllegalArgumentException(
            "mirror fraction out of range: " + numerator + "/" + denominator);
      }
    }

    /** Mirrors every request to {@code cluster}. */
    public static RequestMirror all(String cluster) {
      return new RequestMirror(cluster, 1, 1);
    }
  }
}
