package io.gatehouse.bench;

import io.gatehouse.model.Action;
import io.gatehouse.model.Cluster;
import io.gatehouse.model.Endpoint;
import io.gatehouse.model.GatewayConfig;
import io.gatehouse.model.GatewayRef;
import io.gatehouse.model.HttpListener;
import io.gatehouse.model.PathMatch;
import io.gatehouse.model.Route;
import io.gatehouse.model.RouteMatch;
import io.gatehouse.model.UpstreamProtocol;
import io.gatehouse.model.VirtualHost;
import io.gatehouse.model.WeightedCluster;
import io.gatehouse.proxy.GatewayProxy;
import io.gatehouse.proxy.ProxyOptions;
import io.gatehouse.proxy.http.PeerPenalty;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The proxy process of {@link RapidResetUnderLoad}: a {@link GatewayProxy} with the default edge
 * settings (one h2c/HTTP listener on {@code 127.0.0.1:port}, every path to a
 * {@link LoopbackUpstream} in the same process). Prints {@code ready} once bound, serves until its
 * stdin closes, then prints the upstream's request count and the proxy's edge counters.
 *
 * <p>
 * Usage: {@code java -cp gatehouse-bench.jar io.gatehouse.bench.RapidResetProxyProcess port
 * workers [penalty=off]}, where workers 0 means one event loop per available processor and
 * {@code penalty=off} turns the peer penalty ({@code ProxyOptions#penalty}) off.
 */
public final class RapidResetProxyProcess {
  private RapidResetProxyProcess() {
  }

  public static void main(String[] args) throws IOException {
    int port = Integer.parseInt(args[0]);
    int workers = Integer.parseInt(args[1]);
    ProxyOptions options = new ProxyOptions(0, workers, Duration.ofSeconds(2),
        Duration.ofSeconds(1));
    for (int i = 2; i < args.length; i++) {
      if (args[i].equals("penalty=off")) {
        options = options.withPenalty(PeerPenalty.disabled());
      } else {
        throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    try (LoopbackUpstream upstream = new LoopbackUpstream()) {
      GatewayProxy proxy = GatewayProxy.start(options);
      try {
        apply(proxy, port, upstream.port());
        System.out.println("ready");
        System.out.flush();
        while (System.in.read() >= 0) {
          // serve until the parent closes our stdin (or dies)
        }
        System.out.printf("upstream requests=%d penalised connections=%d counters=%s%n",
            upstream.requests.get(), proxy.penalisedConnections(), proxy.counters());
      } finally {
        proxy.close();
      }
    }
  }

  private static void apply(GatewayProxy proxy, int port, int upstreamPort) {
    Route route = new Route("all", RouteMatch.of(new PathMatch.Prefix("/")), List.of(),
        new Action.Forward(List.of(new WeightedCluster("up", 1)), 0));
    var failures = proxy.apply(1, List.of(new GatewayConfig(new GatewayRef("bench", "rapid"), 1,
        List.of(new HttpListener("bench/rapid/l", "127.0.0.1", port,
            List.of(new VirtualHost(List.of("*"), List.of(route))))),
        Map.of("up", new Cluster("up", List.of(new Endpoint("127.0.0.1", upstreamPort, 1)),
            UpstreamProtocol.HTTP1)))));
    if (!failures.isEmpty()) {
      throw new IllegalStateException("bind failed: " + failures);
    }
  }
}
