package io.gatehouse.proxy.route;

import io.gatehouse.model.Cluster;
import io.gatehouse.model.HttpListener;
import io.gatehouse.model.PathMatch;
import io.gatehouse.model.Route;
import io.gatehouse.model.VirtualHost;
import io.gatehouse.proxy.upstream.UpstreamCluster;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.PatternSyntaxException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The immutable routing state of one listener. A request reads its listener's table once, when its
 * headers arrive, and uses it to the end; {@code GatewayProxy.apply} swaps in a new table without
 * disturbing requests that hold the old one.
 *
 * <p>
 * Lookup: virtual host by {@code Host} (see {@link VirtualHostIndex}), then the first route in
 * precedence order whose conditions all hold, checking only the routes whose path can match (see
 * {@link PathIndex}): the cost grows with the path's depth, not with the number of routes.
 */
public final class RouteTable {
  private static final Logger log = LoggerFactory.getLogger(RouteTable.class);

  /** A table without virtual hosts: every request gets 404. */
  public static final RouteTable EMPTY = new RouteTable(new VirtualHostIndex.Builder().build());

  private final VirtualHostIndex hosts;

  private RouteTable(VirtualHostIndex hosts) {
    this.hosts = hosts;
  }

  /**
   * Compiles a listener's virtual hosts. A route whose regex does not compile is left out with a
   * warning (the translator validates regexes, so this is a defence, not a feature).
   */
  public static RouteTable of(HttpListener listener, Map<String, Cluster> clusters) {
    return of(listener.virtualHosts(), listener.name(), clusters);
  }

  /**
   * As {@link #of(HttpListener, Map)}, for the virtual hosts of any HTTP-serving listener.
   *
   * @param listenerName for log messages
   */
  public static RouteTable of(List<VirtualHost> virtualHosts, String listenerName,
      Map<String, Cluster> clusters) {
    Map<String, UpstreamCluster> compiled = new HashMap<>();
    VirtualHostIndex.Builder hosts = new VirtualHostIndex.Builder();
    for (VirtualHost vh : virtualHosts) {
      List<RouteEntry> routes = new ArrayList<>();
      for (Route r : vh.routes()) {
        try {
          Function<Cluster, UpstreamCluster> compile = c -> compiled.computeIfAbsent(c.name(),
              n -> UpstreamCluster.of(c));
          RouteAction action = RouteAction.of(r.action(), clusters, compile,
              cookiePath(r.match().path()));
          routes.add(new RouteEntry(r, action, MirrorTarget.of(r.filters(), clusters, compile)));
        } catch (PatternSyntaxException e) {
          log.warn("Listener {}: route {} has an invalid regex and is left out: {}",
              listenerName, r.id(), e.getMessage());
        }
      }
      PathIndex frozen = new PathIndex(routes);
      for (String h : vh.hostnames()) {
        hosts.add(h, frozen);
      }
    }
    return new RouteTable(hosts.build());
  }

  /**
   * The {@code Path} of a route's session cookies (GEP-1619): the path it matches; for a regex, the
   * literal part before the first special character, cut back to its last {@code /}.
   */
  static String cookiePath(PathMatch path) {
    String p = switch (path) {
      case PathMatch.Exact e -> e.value();
      case PathMatch.Prefix pr -> pr.value();
      case PathMatch.Regex r -> {
        String v = r.value();
        int i = 0;
        while (i < v.length() && "\\^$.|?*+()[]{}".indexOf(v.charAt(i)) < 0) {
          i++;
        }
        String literal = v.substring(0, i);
        int slash = literal.lastIndexOf('/');
        yield slash < 0 ? "/" : literal.substring(0, slash + 1);
      }
    };
    return p.startsWith("/") && p.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != ';')
        ? p
        : "/";
  }

  /**
   * The route serving a request, or null (404).
   *
   * @param authority the raw {@code Host} header, or null when absent
   */
  public @Nullable RouteEntry select(@Nullable String authority, RouteRequest request) {
    PathIndex routes = hosts.find(hostOf(authority));
    return routes == null ? null : routes.first(request);
  }

  /**
   * The hostname of a {@code Host} header: lower-cased, port and trailing dot removed. An IPv6
   * literal keeps its brackets ({@code [::1]:8080} gives {@code [::1]}).
   */
  static String hostOf(@Nullable String authority) {
    if (authority == null || authority.isEmpty()) {
      return "";
    }
    String h = authority.trim();
    if (h.startsWith("[")) {
      int close = h.indexOf(']');
      h = close < 0 ? h : h.substring(0, close + 1);
    } else {
      int colon = h.indexOf(':');
      if (colon >= 0 && colon == h.lastIndexOf(':')) {
        h = h.substring(0, colon);
      }
    }
    if (h.endsWith(".")) {
      h = h.substring(0, h.length() - 1);
    }
    return h.toLowerCase(Locale.ROOT);
  }
}
