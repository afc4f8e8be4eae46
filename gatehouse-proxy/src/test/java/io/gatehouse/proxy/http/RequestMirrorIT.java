package io.gatehouse.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.model.Action;
import io.gatehouse.model.Cluster;
import io.gatehouse.model.Endpoint;
import io.gatehouse.model.Filter;
import io.gatehouse.model.Header;
import io.gatehouse.model.PathMatch;
import io.gatehouse.model.Route;
import io.gatehouse.model.RouteMatch;
import io.gatehouse.model.UpstreamProtocol;
import io.gatehouse.model.WeightedCluster;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Request mirrors on loopback: the copy carries the forwarded method, path, headers (after the
 * request header modifier) and body; a mirror that accepts connections and never answers, or one
 * that refuses them, does not slow or fail the client's requests, and the mirrors in flight stay
 * bounded; a share mirrors about that share; a body past the replay limit is not mirrored.
 */
class RequestMirrorIT {
  private ScriptedUpstream primary;
  private ScriptedUpstream mirror;
  private ServerSocket hanging;
  private final List<Socket> hangingAccepted = new CopyOnWriteArrayList<>();
  private Thread acceptor;
  private LoopbackProxy proxy;

  @BeforeEach
  void start() throws IOException {
    primary = new ScriptedUpstream();
    mirror = new ScriptedUpstream();
    hanging = new ServerSocket(0, 512, InetAddress.getLoopbackAddress());
    acceptor = new Thread(this::acceptForever, "hanging-mirror");
    acceptor.start();
    int refused;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      refused = s.getLocalPort();
    }
    Filter.RequestHeaderModifier edit = new Filter.RequestHeaderModifier(
        List.of(new Header("x-edited", "yes")), List.of(), List.of("x-remove"));
    proxy = new LoopbackProxy(List.of(
        route("/copy", edit, Filter.RequestMirror.all("mirror")),
        route("/hang", Filter.RequestMirror.all("hanging")),
        route("/refused", Filter.RequestMirror.all("refused")),
        route("/half", new Filter.RequestMirror("mirror", 1, 2)),
        route("/never", new Filter.RequestMirror("mirror", 0, 100))),
        Map.of("primary", cluster("primary", primary.port()),
            "mirror", cluster("mirror", mirror.port()),
            "hanging", cluster("hanging", hanging.getLocalPort()),
            "refused", cluster("refused", refused)));
  }

  @AfterEach
  void stop() throws Exception {
    proxy.close();
    hanging.close();
    acceptor.join(5000);
    for (Socket s : hangingAccepted) {
      s.close();
    }
    primary.close();
    mirror.close();
  }

  @Test
  void copyCarriesTheForwardedRequest() throws Exception {
    String response = proxy.request("POST", "/copy/1?q=a", "the body");
    assertThat(response).startsWith("HTTP/1.1 200").endsWith("POST 1 the body");
    ScriptedUpstream.Seen copy = awaitMirrored(s -> s.uri().equals("/copy/1?q=a"));
    assertThat(copy.method()).isEqualTo("POST");
    assertThat(copy.body()).isEqualTo("the body");
    assertThat(copy.headers()).containsEntry("x-edited", "yes").doesNotContainKey("x-remove")
        .containsEntry("host", "t");
    assertThat(primary.seen).singleElement()
        .satisfies(p -> assertThat(p.headers()).containsEntry("x-edited", "yes"));
  }

  @Test
  void hangingMirrorDoesNotSlowTheClientAndMirrorsInFlightAreBounded() throws Exception {
    long started = System.nanoTime();
    int requests = MirrorExchange.MAX_IN_FLIGHT + 20;
    for (int i = 0; i < requests; i++) {
      assertThat(proxy.get("/hang/" + i)).startsWith("HTTP/1.1 200").endsWith("GET 1 ");
    }
    // The mirror never answers and holds its connections for MirrorExchange.TIMEOUT (10 s); had
    // any request waited for its mirror, this loop would take at least that long.
    assertThat(System.nanoTime() - started).as("all requests answered without the mirror")
        .isLessThan(MirrorExchange.TIMEOUT.toNanos());
    awaitTrue(() -> !hangingAccepted.isEmpty());
    assertThat(hangingAccepted.size()).as("mirror connections opened")
        .isBetween(1, MirrorExchange.MAX_IN_FLIGHT);
  }

  @Test
  void refusingMirrorDoesNotFailTheClient() throws Exception {
    for (int i = 0; i < 5; i++) {
      assertThat(proxy.get("/refused/" + i)).startsWith("HTTP/1.1 200");
    }
  }

  @Test
  void halfTheRequestsAreMirroredAndZeroPercentNone() throws Exception {
    int n = 200;
    for (int i = 0; i < n; i++) {
      assertThat(proxy.get("/half/" + i)).startsWith("HTTP/1.1 200");
      assertThat(proxy.get("/never/" + i)).startsWith("HTTP/1.1 200");
    }
    proxy.get("/copy/marker");
    awaitMirrored(s -> s.uri().equals("/copy/marker"));
    Thread.sleep(200); // copies sent before the marker's may still be on their way
    long half = mirror.seen.stream().filter(s -> s.uri().startsWith("/half/")).count();
    // Binomial(200, 0.5): mean 100, standard deviation about 7; this band is over 5 deviations.
    assertThat(half).isBetween(60L, 140L);
    assertThat(mirror.seen).noneMatch(s -> s.uri().startsWith("/never/"));
  }

  @Test
  void bodyPastTheLimitIsForwardedButNotMirrored() throws Exception {
    String big = "y".repeat(BodyReplay.LIMIT + 1);
    assertThat(proxy.request("PUT", "/copy/big", big)).startsWith("HTTP/1.1 200")
        .endsWith(big);
    proxy.get("/copy/marker");
    awaitMirrored(s -> s.uri().equals("/copy/marker"));
    assertThat(mirror.seen).noneMatch(s -> s.uri().equals("/copy/big"));
  }

  private ScriptedUpstream.Seen awaitMirrored(Predicate<ScriptedUpstream.Seen> p)
      throws InterruptedException {
    awaitTrue(() -> mirror.seen.stream().anyMatch(p));
    return mirror.seen.stream().filter(p).findFirst().orElseThrow();
  }

  private static void awaitTrue(java.util.function.BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition within 5 s").isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  private void acceptForever() {
    while (!hanging.isClosed()) {
      try {
        hangingAccepted.add(hanging.accept()); // never read, never answered
      } catch (IOException e) {
        return;
      }
    }
  }

  private static Cluster cluster(String name, int port) {
    return new Cluster(name, List.of(new Endpoint("127.0.0.1", port, 1)), UpstreamProtocol.HTTP1);
  }

  private static Route route(String prefix, Filter... filters) {
    return new Route(prefix, RouteMatch.of(new PathMatch.Prefix(prefix)), List.of(filters),
        new Action.Forward(List.of(new WeightedCluster("primary", 1)), 0));
  }
}
