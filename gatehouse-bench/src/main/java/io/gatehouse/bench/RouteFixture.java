package io.gatehouse.bench;

import io.gatehouse.model.Action;
import io.gatehouse.model.Cluster;
import io.gatehouse.model.Endpoint;
import io.gatehouse.model.HeaderMatch;
import io.gatehouse.model.PathMatch;
import io.gatehouse.model.QueryParamMatch;
import io.gatehouse.model.Route;
import io.gatehouse.model.RouteMatch;
import io.gatehouse.model.StringMatchType;
import io.gatehouse.model.UpstreamProtocol;
import io.gatehouse.model.VirtualHost;
import io.gatehouse.model.WeightedCluster;
import io.gatehouse.proxy.route.RouteRequest;
import io.gatehouse.proxy.route.RouteTable;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A synthetic listener with a given number of routes, shaped like a shared ingress: ten routes per
 * hostname, mixing every kind of condition the route table supports, and one request per route that
 * must select exactly that route.
 *
 * <p>
 * Route {@code j} (0–9) of host {@code i} ({@code svc-<i>.example.com}, the last host is the
 * wildcard {@code *.apps.example.com}):
 * <ul>
 * <li>{@code j} = 0, 5: exact path {@code /api/v<j>/items}
 * <li>{@code j} = 1, 6: path prefix {@code /api/v<j>}
 * <li>{@code j} = 2, 7: path prefix {@code /api/v<j>/orders} and method GET
 * <li>{@code j} = 3, 8: path prefix {@code /api/v<j>/users} and header {@code x-tenant: t<j>}
 * <li>{@code j} = 4: path prefix {@code /static/4} and query parameter {@code v=2}
 * <li>{@code j} = 9: regular expression {@code /re/[0-9]+/x}
 * </ul>
 */
public final class RouteFixture {
  /** Routes per hostname. */
  public static final int ROUTES_PER_HOST = 10;

  private static final String CLUSTER = "service/bench/backend/8080";

  /** One request and the id of the route it must select. */
  public record Probe(String authority, String method, String path, String query,
      HttpHeaders headers, String expectedRouteId) {
    /** A fresh routing view of the request (it caches the decoded query, as in the proxy). */
    public RouteRequest request() {
      return new RouteRequest(method, path, query, headers);
    }
  }

  private final RouteTable table;
  private final List<Probe> probes;

  private RouteFixture(RouteTable table, List<Probe> probes) {
    this.table = table;
    this.probes = probes;
  }

  /** Builds a table of {@code routes} routes (a multiple of 10, at least 10). */
  public static RouteFixture of(int routes) {
    if (routes < ROUTES_PER_HOST || routes % ROUTES_PER_HOST != 0) {
      throw new IllegalArgumentException("routes must be a positive multiple of 10: " + routes);
    }
    int hostCount = routes / ROUTES_PER_HOST;
    List<VirtualHost> hosts = new ArrayList<>();
    List<Probe> probes = new ArrayList<>();
    for (int i = 0; i < hostCount; i++) {
      boolean wildcard = i == hostCount - 1;
      String hostname = wildcard ? "*.apps.example.com" : "svc-" + i + ".example.com";
      String authority = wildcard ? "shop.apps.example.com:8080" : hostname;
      List<Route> hostRoutes = new ArrayList<>();
      for (int j = 0; j < ROUTES_PER_HOST; j++) {
        String id = "bench/route-" + i + "/rule/" + j + "/match/0";
        hostRoutes.add(new Route(id, match(j), List.of(),
            new Action.Forward(List.of(new WeightedCluster(CLUSTER, 1)), 0)));
        probes.add(probe(authority, j, id));
      }
      hosts.add(new VirtualHost(List.of(hostname), hostRoutes));
    }
    Cluster cluster = new Cluster(CLUSTER, List.of(new Endpoint("127.0.0.1", 8080, 1)),
        UpstreamProtocol.HTTP1);
    return new RouteFixture(RouteTable.of(hosts, "bench", Map.of(CLUSTER, cluster)),
        List.copyOf(probes));
  }

  private static RouteMatch match(int j) {
    return switch (j) {
      case 0, 5 -> RouteMatch.of(new PathMatch.Exact("/api/v" + j + "/items"));
      case 1, 6 -> RouteMatch.of(new PathMatch.Prefix("/api/v" + j));
      case 2, 7 -> new RouteMatch(new PathMatch.Prefix("/api/v" + j + "/orders"), "GET",
          List.of(), List.of());
      case 3, 8 -> new RouteMatch(new PathMatch.Prefix("/api/v" + j + "/users"), null,
          List.of(new HeaderMatch("x-tenant", StringMatchType.EXACT, "t" + j)), List.of());
      case 4 -> new RouteMatch(new PathMatch.Prefix("/static/4"), null, List.of(),
          List.of(new QueryParamMatch("v", StringMatchType.EXACT, "2")));
      case 9 -> RouteMatch.of(new PathMatch.Regex("/re/[0-9]+/x"));
      default -> throw new IllegalArgumentException("route " + j);
    };
  }

  private static Probe probe(String authority, int j, String id) {
    HttpHeaders headers = new DefaultHttpHeaders();
    headers.set("host", authority);
    headers.set("user-agent", "bench/1.0");
    headers.set("accept", "*/*");
    return switch (j) {
      case 0, 5 -> new Probe(authority, "GET", "/api/v" + j + "/items", "", headers, id);
      case 1, 6 -> new Probe(authority, "POST", "/api/v" + j + "/carts/42", "", headers, id);
      case 2, 7 -> new Probe(authority, "GET", "/api/v" + j + "/orders/17", "page=3", headers, id);
      case 3, 8 -> {
        headers.set("x-tenant", "t" + j);
        yield new Probe(authority, "GET", "/api/v" + j + "/users/5", "", headers, id);
      }
      case 4 -> new Probe(authority, "GET", "/static/4/app.js", "v=2&x=1", headers, id);
      case 9 -> new Probe(authority, "GET", "/re/123/x", "", headers, id);
      default -> throw new IllegalArgumentException("route " + j);
    };
  }

  public RouteTable table() {
    return table;
  }

  /** One probe per route, in route order. */
  public List<Probe> probes() {
    return probes;
  }

  /** {@code count} probes drawn with a fixed seed, so runs compare like with like. */
  public Probe[] sample(int count, long seed) {
    List<Probe> shuffled = new ArrayList<>(probes);
    Collections.shuffle(shuffled, new Random(seed));
    Probe[] out = new Probe[count];
    for (int i = 0; i < count; i++) {
      out[i] = shuffled.get(i % shuffled.size());
    }
    return out;
  }

  /**
   * As {@link #sample}, but every slot is its own copy of the probe (its own strings and header
   * object), whatever the table size. A proxy routes requests it has just parsed: with
   * {@link #sample} a 10-route table cycles through 10 request objects that stay in the L1 cache
   * while a 10,000-route table cycles through 1,024, so part of the growth {@code hit} shows is the
   * benchmark's own request data. With distinct copies the request side costs the same at every
   * size and the growth left is the table's.
   */
  public Probe[] distinctSample(int count, long seed) {
    Probe[] shared = sample(count, seed);
    Probe[] out = new Probe[count];
    for (int i = 0; i < count; i++) {
      Probe p = shared[i];
      HttpHeaders headers = new DefaultHttpHeaders();
      p.headers().forEach(e -> headers.add(new String(e.getKey()), new String(e.getValue())));
      out[i] = new Probe(new String(p.authority()), new String(p.method()), new String(p.path()),
          new String(p.query()), headers, p.expectedRouteId());
    }
    return out;
  }
}
