package io.gatehouse.proxy.edge;

import io.gatehouse.model.Action;
import io.gatehouse.model.Cluster;
import io.gatehouse.model.Endpoint;
import io.gatehouse.model.GatewayConfig;
import io.gatehouse.model.GatewayRef;
import io.gatehouse.model.HttpListener;
import io.gatehouse.model.PathMatch;
import io.gatehouse.model.Route;
import io.gatehouse.model.RouteMatch;
import io.gatehouse.model.Timeouts;
import io.gatehouse.model.UpstreamProtocol;
import io.gatehouse.model.VirtualHost;
import io.gatehouse.model.WeightedCluster;
import io.gatehouse.proxy.BindFailure;
import io.gatehouse.proxy.GatewayProxy;
import io.gatehouse.proxy.ProxyOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One proxy and one {@link RecordingUpstream} per test class, on 127.0.0.1. Routes: host
 * {@code a.example} answers 200 {@code a.example} locally; any other host forwards to the recorder,
 * except {@code /admin}, which is denied (403).
 */
final class EdgeFixture implements AutoCloseable {
  final RecordingUpstream upstream = new RecordingUpstream();
  final GatewayProxy proxy;
  final int port;

  EdgeFixture() {
    this(new ProxyOptions(0, 1, Duration.ofSeconds(2), Duration.ofSeconds(1)), Timeouts.NONE);
  }

  /** With {@code options}, and {@code timeouts} on the route that forwards to the recorder. */
  EdgeFixture(ProxyOptions options, Timeouts timeouts) {
    proxy = GatewayProxy.start(options);
    port = freePort();
    Cluster recorder = new Cluster("rec",
        List.of(new Endpoint("127.0.0.1", upstream.port(), 1)), UpstreamProtocol.HTTP1);
    Route direct = new Route("a", RouteMatch.of(new PathMatch.Prefix("/")), List.of(),
        new Action.DirectResponse(200, "a.example"));
    Route admin = new Route("admin", RouteMatch.of(new PathMatch.Prefix("/admin")), List.of(),
        new Action.DirectResponse(403, "denied"));
    Route forward = new Route("fwd", RouteMatch.of(new PathMatch.Prefix("/")), List.of(),
        new Action.Forward(List.of(new WeightedCluster("rec", 1)), 0), timeouts);
    HttpListener listener = new HttpListener("ns/edge/" + port, "127.0.0.1", port,
        List.of(new VirtualHost(List.of("a.example"), List.of(direct)),
            new VirtualHost(List.of("*"), List.of(admin, forward))));
    List<BindFailure> failures = proxy.apply(1, List.of(new GatewayConfig(
        new GatewayRef("ns", "edge"), 1, List.of(listener), Map.of("rec", recorder))));
    if (!failures.isEmpty()) {
      throw new IllegalStateException("bind failed: " + failures);
    }
  }

  EdgeClient client() {
    return new EdgeClient("127.0.0.1", port);
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    proxy.close();
    upstream.close();
  }
}
