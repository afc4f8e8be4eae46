package io.gatehouse.proxy.route;

import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Finds the routes ({@link PathIndex}) of the virtual host serving a hostname: exact name by hash,
 * then the longest matching wildcard suffix (one hash lookup per label), then the catch-all
 * {@code *}. Immutable.
 */
final class VirtualHostIndex {
  private final Map<String, PathIndex> exact;
  /** Keyed by the wildcard without its {@code *}, e.g. {@code .example.com}. */
  private final Map<String, PathIndex> wildcard;
  private final @Nullable PathIndex catchAll;

  private VirtualHostIndex(Map<String, PathIndex> exact,
      Map<String, PathIndex> wildcard, @Nullable PathIndex catchAll) {
    this.exact = Map.copyOf(exact);
    this.wildcard = Map.copyOf(wildcard);
    this.catchAll = catchAll;
  }

  static final class Builder {
    private final Map<String, PathIndex> exact = new HashMap<>();
    private final Map<String, PathIndex> wildcard = new HashMap<>();
    private @Nullable PathIndex catchAll;

    /** Earlier hostnames win over later duplicates (the model promises there are none). */
    Builder add(String hostname, PathIndex routes) {
      String h = hostname.toLowerCase(java.util.Locale.ROOT);
      if (h.equals("*")) {
        if (catchAll == null) {
          catchAll = routes;
        }
      } else if (h.startsWith("*.")) {
        wildcard.putIfAbsent(h.substring(1), routes);
      } else {
        exact.putIfAbsent(h, routes);
      }
      return this;
    }

    VirtualHostIndex build() {
      return new VirtualHostIndex(exact, wildcard, catchAll);
    }
  }

  /** The routes for a lower-case hostname without port, or null when no virtual host serves it. */
  @Nullable
  PathIndex find(String host) {
    PathIndex routes = exact.get(host);
    if (routes != null) {
      return routes;
    }
    if (!wildcard.isEmpty()) {
      // Longest suffix first; a wildcard needs at least one character in front of its suffix.
      for (int dot = host.indexOf('.', 1); dot > 0; dot = host.indexOf('.', dot + 1)) {
        routes = wildcard.get(host.substring(dot));
        if (routes != null) {
          return routes;
        }
      }
    }
    return catchAll;
  }
}
