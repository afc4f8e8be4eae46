package io.gatehouse.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.model.Action;
import io.gatehouse.model.Cluster;
import io.gatehouse.model.Endpoint;
import io.gatehouse.model.Filter;
import io.gatehouse.model.GatewayConfig;
import io.gatehouse.model.GatewayRef;
import io.gatehouse.model.Header;
import io.gatehouse.model.HeaderMatch;
import io.gatehouse.model.HttpListener;
import io.gatehouse.model.PathMatch;
import io.gatehouse.model.Route;
import io.gatehouse.model.RouteMatch;
import io.gatehouse.model.StringMatchType;
import io.gatehouse.model.UpstreamProtocol;
import io.gatehouse.model.VirtualHost;
import io.gatehouse.model.WeightedCluster;
import io.gatehouse.proxy.edge.RecordingUpstream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The SECURITY.md B/C setup: a {@link GatewayProxy} on 127.0.0.7 whose catch-all virtual host sends
 * {@code PathPrefix /public} to upstream P, denies {@code PathPrefix /admin} and any
 * {@code /public} request carrying {@code x-role: admin} (403 "denied"), and sends everything else
 * to upstream Q; {@code /gen} goes to Q with a gateway-set {@code x-gateway-authenticated-user}.
 * Host {@code redirect.test} answers every request with a redirect to {@code elsewhere.test} that
 * reflects the path. Both upstreams record the exact bytes they receive.
 */
final class EdgeProxy implements AutoCloseable {
  static final String ADDRESS = "127.0.0.7";
  private static final int OFFSET = 10_000;

  final RecordingUpstream p = new RecordingUpstream("P");
  final RecordingUpstream q = new RecordingUpstream("Q");
  private final GatewayProxy proxy;
  private final int port;

  /** What one request got: the response, and the heads each upstream received for it. */
  record Exchange(RawHttp.Response response, List<String> atP, List<String> atQ) {
    int status() {
      return response.status();
    }

    /** The one head an upstream received, asserting that exactly one upstream got one. */
    String forwarded() {
      assertThat(atP.size() + atQ.size()).as("requests forwarded").isEqualTo(1);
      return atP.isEmpty() ? atQ.get(0) : atP.get(0);
    }
  }

  EdgeProxy(ProxyOptions options) throws IOException {
    proxy = GatewayProxy.start(options.withPortOffset(OFFSET), Transport.of(false));
    port = freePort();
    Route deny = new Route("deny-admin", RouteMatch.of(new PathMatch.Prefix("/admin")),
        List.of(), new Action.DirectResponse(403, "denied"));
    Route denyRole = new Route("deny-role", new RouteMatch(new PathMatch.Prefix("/public"), null,
        List.of(new HeaderMatch("x-role", StringMatchType.EXACT, "admin")), List.of()),
        List.of(), new Action.DirectResponse(403, "denied"));
    Route generated = new Route("gen", RouteMatch.of(new PathMatch.Prefix("/gen")),
        List.of(new Filter.RequestHeaderModifier(
            List.of(new Header("x-gateway-authenticated-user", "gateway-set")), List.of(),
            List.of())),
        forward("Q"));
    Route redirect = new Route("redirect", RouteMatch.of(new PathMatch.Prefix("/")), List.of(),
        new Action.Redirect(null, "elsewhere.test", null, null, 302));
    GatewayConfig config = new GatewayConfig(new GatewayRef("ns", "edge"), 1,
        List.of(new HttpListener("ns/edge/l", ADDRESS, port, List.of(
            new VirtualHost(List.of("redirect.test"), List.of(redirect)),
            new VirtualHost(List.of("*"), List.of(denyRole, deny, generated,
                new Route("public", RouteMatch.of(new PathMatch.Prefix("/public")), List.of(),
                    forward("P")),
                new Route("rest", RouteMatch.of(new PathMatch.Prefix("/")), List.of(),
                    forward("Q"))))))),
        Map.of("P", cluster("P", p), "Q", cluster("Q", q)));
    assertThat(proxy.apply(1, List.of(config))).isEmpty();
  }

  /** A new connection from 127.0.0.1, for a test that needs to know the client's address. */
  RawHttp connect() throws IOException {
    Socket s = new Socket();
    s.bind(new InetSocketAddress("127.0.0.1", 0));
    s.connect(new InetSocketAddress(ADDRESS, port + OFFSET), 5000);
    return new RawHttp(s);
  }

  /** The listener's port as bound. */
  int port() {
    return port + OFFSET;
  }

  /** The proxy's reject counters ({@link GatewayProxy#counters}). */
  Map<String, Long> counters() {
    return proxy.counters();
  }

  /** An HTTP/2 (h2c prior knowledge) client to the listener. */
  H2TestClient h2() {
    return new H2TestClient(ADDRESS, port + OFFSET);
  }

  /** Sends {@code raw} on a new connection and reads one response. */
  Exchange send(String raw) throws IOException {
    int beforeP = p.heads().size();
    int beforeQ = q.heads().size();
    RawHttp.Response r;
    try (RawHttp c = connect()) {
      r = c.exchange(raw);
    }
    List<String> atP = p.heads();
    List<String> atQ = q.heads();
    return new Exchange(r, atP.subList(beforeP, atP.size()), atQ.subList(beforeQ, atQ.size()));
  }

  /** {@code GET target} with {@code Host: host} and the extra header lines, on a new connection. */
  Exchange get(String host, String target, String... headerLines) throws IOException {
    StringBuilder raw = new StringBuilder("GET ").append(target).append(" HTTP/1.1\r\nHost: ")
        .append(host).append("\r\n");
    for (String h : headerLines) {
      raw.append(h).append("\r\n");
    }
    return send(raw.append("\r\n").toString());
  }

  Exchange get(String target) throws IOException {
    return get("edge.test", target);
  }

  @Override
  public void close() {
    proxy.close();
    p.close();
    q.close();
  }

  private static Action forward(String cluster) {
    return new Action.Forward(List.of(new WeightedCluster(cluster, 1)), 0);
  }

  private static Cluster cluster(String name, RecordingUpstream u) {
    return new Cluster(name, List.of(new Endpoint("127.0.0.1", u.port(), 1)),
        UpstreamProtocol.HTTP1);
  }

  private static int freePort() throws IOException {
    for (int i = 0; i < 50; i++) {
      try (ServerSocket s = new ServerSocket(0)) {
        if (s.getLocalPort() > OFFSET && s.getLocalPort() < 55_000) {
          return s.getLocalPort() - OFFSET;
        }
      }
    }
    throw new IllegalStateException("no free port");
  }
}
