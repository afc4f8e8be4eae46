package io.gatehouse.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.model.Action;
import io.gatehouse.model.Cluster;
import io.gatehouse.model.Endpoint;
import io.gatehouse.model.PathMatch;
import io.gatehouse.model.Retry;
import io.gatehouse.model.Route;
import io.gatehouse.model.RouteMatch;
import io.gatehouse.model.Timeouts;
import io.gatehouse.model.UpstreamProtocol;
import io.gatehouse.model.WeightedCluster;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Route retries on loopback against {@link ScriptedUpstream}: listed statuses are retried up to the
 * attempts and no further; a connection reset is retried for a GET or PUT but never for a POST that
 * reached the backend; a POST whose connection could not even open is retried; a body larger than
 * the replay buffer is not retried; a backend request timeout is retried within the request
 * timeout.
 */
class RouteRetriesIT {
  private ScriptedUpstream upstream;
  private LoopbackProxy proxy;
  private int deadPort;

  @BeforeEach
  void start() throws IOException {
    upstream = new ScriptedUpstream();
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      deadPort = s.getLocalPort(); // closed again: connections to it are refused
    }
    Cluster live = cluster("live", upstream.port());
    Cluster halfDead = new Cluster("half-dead", List.of(new Endpoint("127.0.0.1", deadPort, 1),
        new Endpoint("127.0.0.1", upstream.port(), 1)), UpstreamProtocol.HTTP1);
    Retry onCodes = new Retry(List.of(500, 502), 2, Duration.ofMillis(1));
    Retry onErrors = new Retry(List.of(), 3, null);
    proxy = new LoopbackProxy(List.of(
        route("/status", "live", Timeouts.NONE, onCodes),
        route("/reset", "live", Timeouts.NONE, onErrors),
        route("/hang", "live", new Timeouts(Duration.ofSeconds(5), Duration.ofMillis(300)),
            onErrors),
        route("/echo", "half-dead", Timeouts.NONE, onErrors)),
        Map.of("live", live, "half-dead", halfDead));
  }

  @AfterEach
  void stop() {
    proxy.close();
    upstream.close();
  }

  @Test
  void listedStatusIsRetriedUntilItSucceeds() throws IOException {
    assertThat(proxy.get("/status/a?code=500&n=2")).startsWith("HTTP/1.1 200")
        .endsWith("GET 3 ");
    assertThat(upstream.count("a")).isEqualTo(3);
  }

  @Test
  void listedStatusIsRetriedNoMoreThanTheAttempts() throws IOException {
    assertThat(proxy.get("/status/b?code=502&n=3")).startsWith("HTTP/1.1 502")
        .endsWith("fail");
    assertThat(upstream.count("b")).as("first try and 2 retries").isEqualTo(3);
  }

  @Test
  void unlistedStatusIsNotRetried() throws IOException {
    assertThat(proxy.get("/status/c?code=503&n=1")).startsWith("HTTP/1.1 503");
    assertThat(upstream.count("c")).isEqualTo(1);
  }

  @Test
  void listedStatusForAPostIsNotRetried() throws IOException {
    assertThat(proxy.request("POST", "/status/d?code=500&n=1", "order")).startsWith(
        "HTTP/1.1 500");
    assertThat(upstream.count("d")).isEqualTo(1);
  }

  @Test
  void resetGetIsRetried() throws IOException {
    assertThat(proxy.get("/reset/e?n=2")).startsWith("HTTP/1.1 200").endsWith("GET 3 ");
  }

  @Test
  void resetPostThatReachedTheBackendIsNeverSentTwice() throws IOException {
    assertThat(proxy.request("POST", "/reset/f?n=1", "pay 10")).startsWith("HTTP/1.1 503");
    assertThat(upstream.count("f")).as("the POST reached the backend once").isEqualTo(1);
    assertThat(upstream.seen).hasSize(1);
  }

  @Test
  void resetPutIsRetriedWithItsWholeBody() throws IOException {
    assertThat(proxy.request("PUT", "/reset/g?n=1", "the body")).startsWith("HTTP/1.1 200")
        .endsWith("PUT 2 the body");
    assertThat(upstream.seen).extracting(ScriptedUpstream.Seen::body)
        .containsExactly("the body", "the body");
  }

  @Test
  void bodyLargerThanTheReplayBufferIsNotRetried() throws IOException {
    String big = "x".repeat(BodyReplay.LIMIT + 1);
    assertThat(proxy.request("PUT", "/reset/h?n=1", big)).startsWith("HTTP/1.1 503");
    assertThat(upstream.count("h")).isEqualTo(1);
  }

  @Test
  void postThatCouldNotReachTheBackendIsRetried() throws IOException {
    // Round robin over a refusing and a live endpoint: one of two POSTs starts on the refusing one.
    for (int i = 0; i < 2; i++) {
      assertThat(proxy.request("POST", "/echo/p" + i, "once")).startsWith("HTTP/1.1 200")
          .endsWith("POST 1 once");
    }
  }

  @Test
  void backendRequestTimeoutIsRetried() throws IOException {
    assertThat(proxy.get("/hang/i?n=2")).startsWith("HTTP/1.1 200").endsWith("GET 3 ");
  }

  @Test
  void backendRequestTimeoutOnTheLastAttemptGives504() throws IOException {
    assertThat(proxy.get("/hang/j?n=4")).startsWith("HTTP/1.1 504");
    assertThat(upstream.count("j")).as("first try and 3 retries").isEqualTo(4);
  }

  private static Cluster cluster(String name, int port) {
    return new Cluster(name, List.of(new Endpoint("127.0.0.1", port, 1)), UpstreamProtocol.HTTP1);
  }

  private static Route route(String prefix, String cluster, Timeouts timeouts, Retry retry) {
    return new Route(prefix, RouteMatch.of(new PathMatch.Prefix(prefix)), List.of(),
        new Action.Forward(List.of(new WeightedCluster(cluster, 1)), 0), timeouts, retry);
  }
}
