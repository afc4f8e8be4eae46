package io.gatehouse.model;

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
}
