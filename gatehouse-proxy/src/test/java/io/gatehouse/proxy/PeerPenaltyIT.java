package io.gatehouse.proxy;

import static org.assertj.core.api.Assertions.assertThat;

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
import io.gatehouse.proxy.http.PeerPenalty;
import io.netty.handler.codec.http2.Http2Error;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * SECURITY.md E2, the attacker's next connections: after a rapid-reset connection from one client
 * address was closed with GOAWAY(ENHANCE_YOUR_CALM), new connections from that address are closed
 * at accept (no SETTINGS, no response) until the penalty expires, while clients on other addresses
 * are served throughout. Clients play distinct hosts by binding 127.0.0.2, 127.0.0.3 and 127.0.0.4.
 * The penalty is short (1 s) so that its expiry is observed; no assertion is about timing.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PeerPenaltyIT {
  private static final long ENHANCE_YOUR_CALM = Http2Error.ENHANCE_YOUR_CALM.code();

  private TestUpstream a;
  private GatewayProxy proxy;
  private int port;

  @BeforeAll
  void start() throws IOException {
    a = new TestUpstream("A");
    proxy = GatewayProxy.start(new ProxyOptions(0, 2, Duration.ofSeconds(2), Duration.ofSeconds(5))
        .withPenalty(new PeerPenalty(true, Duration.ofSeconds(1), Duration.ofSeconds(4), 100)),
        Transport.detect());
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    VirtualHost vhost = new VirtualHost(List.of("foo.test"), List.of(new Route("a",
        RouteMatch.of(new PathMatch.Prefix("/")), List.of(),
        new Action.Forward(List.of(new WeightedCluster("A", 1)), 0))));
    assertThat(proxy.apply(1, List.of(new GatewayConfig(new GatewayRef("ns", "g"), 1,
        List.of(new HttpListener("l", "127.0.0.1", port, List.of(vhost))),
        Map.of("A", new Cluster("A", List.of(new Endpoint("127.0.0.1", a.port(), 1)),
            UpstreamProtocol.HTTP1))))))
        .isEmpty();
  }

  @AfterAll
  void stop() {
    proxy.close();
    a.close();
  }

  @Test
  void theAttackersAddressIsRefusedUntilThePenaltyExpiresOthersAreServed() throws Exception {
    assertThat(served("127.0.0.2")).isTrue(); // not penalised yet
    rapidReset("127.0.0.2");
    long refusedBefore = proxy.penalisedConnections();
    assertThat(refused("127.0.0.2")).isTrue();
    assertThat(proxy.penalisedConnections()).isGreaterThan(refusedBefore);
    assertThat(served("127.0.0.3")).isTrue(); // another host, at the same time
    // The penalty (1 s) expires: poll, bounded, until the address is served again.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    boolean servedAgain = false;
    while (!servedAgain && System.nanoTime() < deadline) {
      Thread.sleep(200);
      servedAgain = served("127.0.0.2");
    }
    assertThat(servedAgain).isTrue();
  }

  @Test
  void aConnectionOpenedBeforeThePenaltyKeepsBeingServed() throws Exception {
    try (RawH2 early = new RawH2("127.0.0.4", "127.0.0.1", port, 0);
        H2FrameBytes f = new H2FrameBytes()) {
      early.write(f.headers(1, H2FrameBytes.get("/x"), true).take());
      assertThat(answerOn(early, 1)).isTrue();
      rapidReset("127.0.0.4");
      assertThat(refused("127.0.0.4")).isTrue();
      // Only new connections are refused: the one already open still serves requests.
      early.write(f.headers(3, H2FrameBytes.get("/x"), true).take());
      assertThat(answerOn(early, 3)).isTrue();
    }
  }

  /** One rapid-reset connection from {@code source}, closed by the proxy with ENHANCE_YOUR_CALM. */
  private void rapidReset(String source) throws IOException {
    try (RawH2 raw = new RawH2(source, "127.0.0.1", port, 0);
        H2FrameBytes f = new H2FrameBytes()) {
      for (int s = 1; s < 2 * 300; s += 2) {
        f.headers(s, H2FrameBytes.get("/x"), false).rst(s, Http2Error.CANCEL);
      }
      try {
        raw.write(f.take());
      } catch (IOException closedWhileWriting) {
        // the proxy may close before everything is written; the GOAWAY is still readable
      }
      assertThat(raw.readUntil(RawH2.GOAWAY).u32(4)).isEqualTo(ENHANCE_YOUR_CALM);
      assertThat(raw.closedByPeer()).isTrue();
    }
  }

  /** Whether a new connection from {@code source} gets a response to a GET. */
  private boolean served(String source) throws IOException {
    try (RawH2 raw = new RawH2(source, "127.0.0.1", port, 0);
        H2FrameBytes f = new H2FrameBytes()) {
      raw.write(f.headers(1, H2FrameBytes.get("/x"), true).take());
      return answerOn(raw, 1);
    } catch (IOException closed) {
      return false;
    }
  }

  /**
   * Whether a new connection from {@code source} is closed without a single frame from the proxy
   * (not even its SETTINGS, which every accepted HTTP/2 connection gets first).
   */
  private boolean refused(String source) {
    try (RawH2 raw = new RawH2(source, "127.0.0.1", port, 0);
        H2FrameBytes f = new H2FrameBytes()) {
      raw.write(f.headers(1, H2FrameBytes.get("/x"), true).take());
      raw.read();
      return false; // a frame came: the connection was accepted
    } catch (IOException closedWithoutAFrame) {
      return !(closedWithoutAFrame instanceof java.net.SocketTimeoutException);
    }
  }

  private static boolean answerOn(RawH2 raw, int stream) throws IOException {
    for (RawH2.Frame fr = raw.read();; fr = raw.read()) {
      if (fr.type() == RawH2.HEADERS && fr.stream() == stream) {
        return true;
      }
      if (fr.type() == RawH2.GOAWAY || fr.type() == RawH2.RST_STREAM && fr.stream() == stream) {
        return false;
      }
    }
  }
}
