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
import io.gatehouse.proxy.http.Http2Limits;
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
 * SECURITY.md E2, E3, the PRIORITY flood of E6, the WINDOW_UPDATE flood and the drain GOAWAY:
 * HTTP/2 floods written with Netty's frame writer ({@link H2FrameBytes}) on raw sockets against the
 * h2c listener of a real {@link GatewayProxy}. One proxy runs the default {@link Http2Limits}; a
 * second one has a reset budget of 20 per 30 s, to show that resets the server sends because of the
 * client spend the same budget as the client's own.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Http2FloodIT {
  private static final int OFFSET = 20_000;
  private static final long ENHANCE_YOUR_CALM = Http2Error.ENHANCE_YOUR_CALM.code();
  private static final Http2Limits SMALL_RESET_BUDGET = new Http2Limits(100, 64 << 10, 1 << 20,
      16 << 10, 1000, 1, 20, 30, 16);

  private TestUpstream a;
  private GatewayProxy proxy;
  private GatewayProxy small;
  private int port;
  private int smallPort;

  @BeforeAll
  void start() throws IOException {
    a = new TestUpstream("A");
    // Every flood here is followed by more connections from 127.0.0.1: no peer penalty in these
    // proxies (PeerPenaltyIT covers it).
    proxy = GatewayProxy.start(
        new ProxyOptions(OFFSET, 2, Duration.ofSeconds(2), Duration.ofSeconds(5))
            .withPenalty(PeerPenalty.disabled()),
        Transport.detect());
    small = GatewayProxy.start(new ProxyOptions(OFFSET, 1, Duration.ofSeconds(2),
        Duration.ofSeconds(5), SMALL_RESET_BUDGET).withPenalty(PeerPenalty.disabled()),
        Transport.detect());
    port = freePort();
    smallPort = freePort();
    apply(proxy, port, 1);
    apply(small, smallPort, 1);
  }

  @AfterAll
  void stop() {
    proxy.close();
    small.close();
    a.close();
  }

  @Test
  void prematureResetsCloseTheConnectionAfterAboutOneHundredStreams() throws Exception {
    int before = a.requests.get();
    try (RawH2 raw = new RawH2("127.0.0.1", port + OFFSET);
        H2FrameBytes f = new H2FrameBytes()) {
      for (int s = 1; s < 2 * 1000; s += 2) {
        f.headers(s, H2FrameBytes.get("/slow"), false).rst(s, Http2Error.CANCEL);
      }
      writeAll(raw, f.take());
      RawH2.Frame goAway = raw.readUntil(RawH2.GOAWAY);
      assertThat(goAway.u32(4)).isEqualTo(ENHANCE_YOUR_CALM);
      // More than half of >= 100 streams were premature: the 100th reset trips it, long before
      // Netty's own budget of 200 resets per 30 s (GOAWAY's debug data names the reason).
      assertThat(debugData(goAway)).contains("premature");
      assertThat(raw.closedByPeer()).isTrue();
    }
    assertThat(a.requests.get() - before).isLessThanOrEqualTo(100);
    assertServing(port);
  }

  @Test
  void resetsTheServerIsMadeToSendCountAsPremature() throws Exception {
    try (RawH2 raw = new RawH2("127.0.0.1", port + OFFSET);
        H2FrameBytes f = new H2FrameBytes()) {
      RawH2.Frame goAway = null;
      int s = 1;
      // Batches of 10 complete requests, each followed by WINDOW_UPDATE 0 on its stream: the
      // server must reset the stream (stream error PROTOCOL_ERROR), the MadeYouReset pattern.
      // The client waits for the resets of each batch, as an attacker pacing itself would.
      for (int batch = 0; batch < 30 && goAway == null; batch++) {
        for (int i = 0; i < 10; i++, s += 2) {
          f.headers(s, H2FrameBytes.get("/slow"), true).windowUpdate(s, 0);
        }
        writeAll(raw, f.take());
        for (RawH2.Frame fr = raw.read();; fr = raw.read()) {
          if (fr.type() == RawH2.GOAWAY) {
            goAway = fr;
            break;
          }
          if (fr.type() == RawH2.RST_STREAM && fr.stream() == s - 2) {
            break;
          }
        }
      }
      assertThat(goAway).isNotNull();
      assertThat(goAway.u32(4)).isEqualTo(ENHANCE_YOUR_CALM);
      // Tripped by the premature-reset ratio at about 100 streams, before Netty's 200 resets.
      assertThat(debugData(goAway)).contains("premature");
      assertThat(s).isLessThan(2 * 130);
      assertThat(raw.closedByPeer()).isTrue();
    }
    assertServing(port);
  }

  @Test
  void clientAndServerResetsShareOneBudget() throws Exception {
    try (RawH2 raw = new RawH2("127.0.0.1", smallPort + OFFSET);
        H2FrameBytes f = new H2FrameBytes()) {
      // 11 resets sent by the client and 11 provoked from the server: each alone stays within the
      // budget of 20, together they exceed it.
      int s = 1;
      for (int i = 0; i < 11; i++, s += 2) {
        f.headers(s, H2FrameBytes.get("/slow"), false).rst(s, Http2Error.CANCEL);
      }
      for (int i = 0; i < 11; i++, s += 2) {
        f.headers(s, H2FrameBytes.get("/slow"), true).windowUpdate(s, 0);
      }
      writeAll(raw, f.take());
      RawH2.Frame goAway = raw.readUntil(RawH2.GOAWAY);
      assertThat(goAway.u32(4)).isEqualTo(ENHANCE_YOUR_CALM);
      assertThat(debugData(goAway)).contains("RST frames"); // Netty's budget
      assertThat(raw.closedByPeer()).isTrue();
    }
    try (RawH2 raw = new RawH2("127.0.0.1", smallPort + OFFSET);
        H2FrameBytes f = new H2FrameBytes()) {
      int s = 1;
      for (int i = 0; i < 9; i++, s += 2) {
        f.headers(s, H2FrameBytes.get("/slow"), false).rst(s, Http2Error.CANCEL);
      }
      for (int i = 0; i < 9; i++, s += 2) {
        f.headers(s, H2FrameBytes.get("/slow"), true).windowUpdate(s, 0);
      }
      f.headers(s, H2FrameBytes.get("/x"), true);
      writeAll(raw, f.take());
      assertThat(answerOn(raw, s)).isTrue(); // 18 resets: still within the budget
    }
  }

  @Test
  void priorityFloodIsCutAtOneHundredPerStream() throws Exception {
    try (RawH2 raw = new RawH2("127.0.0.1", port + OFFSET);
        H2FrameBytes f = new H2FrameBytes()) {
      for (int i = 0; i < 100; i++) {
        f.priority(1001 + 2 * i, 0); // idle streams, allowed by RFC 9113 §5.1
      }
      f.headers(1, H2FrameBytes.get("/x"), true);
      writeAll(raw, f.take());
      assertThat(answerOn(raw, 1)).isTrue(); // 100 = 100 × (1 + 0): still allowed
      for (int i = 0; i < 150; i++) {
        f.priority(3001 + 2 * i, 0);
      }
      writeAll(raw, f.take()); // 250 > 100 × (1 + 1 stream)
      RawH2.Frame goAway = raw.readUntil(RawH2.GOAWAY);
      assertThat(goAway.u32(4)).isEqualTo(ENHANCE_YOUR_CALM);
      assertThat(debugData(goAway)).contains("PRIORITY flood");
      assertThat(raw.closedByPeer()).isTrue();
    }
    assertServing(port);
  }

  @Test
  void windowUpdateFloodIsCutByTheDataFramesSent() throws Exception {
    try (RawH2 raw = new RawH2("127.0.0.1", port + OFFSET);
        H2FrameBytes f = new H2FrameBytes()) {
      for (int i = 0; i < 5; i++) {
        f.windowUpdate(0, 1);
      }
      f.headers(1, H2FrameBytes.get("/x"), true);
      writeAll(raw, f.take());
      assertThat(answerOn(raw, 1)).isTrue(); // 5 <= 5 + 2 × 0
      // One stream and one DATA frame sent: 5 + 2 × (1 + 10 × 1) = 27 allowed in all.
      for (int i = 0; i < 40; i++) {
        f.windowUpdate(0, 1);
      }
      writeAll(raw, f.take());
      RawH2.Frame goAway = raw.readUntil(RawH2.GOAWAY);
      assertThat(goAway.u32(4)).isEqualTo(ENHANCE_YOUR_CALM);
      assertThat(debugData(goAway)).contains("WINDOW_UPDATE flood");
      assertThat(raw.closedByPeer()).isTrue();
    }
    assertServing(port);
  }

  @Test
  void drainSendsTwoGoAwaysAndServesWhatCameBeforeTheSecond() throws Exception {
    int drainPort = freePort();
    GatewayProxy p = GatewayProxy.start(
        new ProxyOptions(OFFSET, 1, Duration.ofSeconds(2), Duration.ofSeconds(5)),
        Transport.detect());
    try {
      apply(p, drainPort, 1);
      try (RawH2 raw = new RawH2("127.0.0.1", drainPort + OFFSET);
          H2FrameBytes f = new H2FrameBytes()) {
        writeAll(raw, f.headers(1, H2FrameBytes.get("/x"), true).take());
        assertThat(answerOn(raw, 1)).isTrue();
        p.apply(2, List.of()); // the listener is removed: drain
        RawH2.Frame first = raw.readUntil(RawH2.GOAWAY);
        assertThat(first.u32(0)).isEqualTo(Integer.MAX_VALUE);
        assertThat(first.u32(4)).isZero();
        writeAll(raw, f.headers(3, H2FrameBytes.get("/x"), true).take());
        assertThat(answerOn(raw, 3)).isTrue(); // sent before the final GOAWAY: served
        RawH2.Frame second = raw.readUntil(RawH2.GOAWAY);
        assertThat(second.u32(0)).isEqualTo(3);
        assertThat(second.u32(4)).isZero();
        assertThat(raw.closedByPeer()).isTrue();
      }
    } finally {
      p.close();
    }
  }

  /** Whether a response HEADERS frame arrives on {@code stream} (other frames are skipped). */
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

  private static String debugData(RawH2.Frame goAway) {
    byte[] p = goAway.payload();
    return new String(p, 8, p.length - 8, java.nio.charset.StandardCharsets.UTF_8);
  }

  /** The proxy still serves a well-behaved client on a new connection. */
  private static void assertServing(int listenerPort) throws IOException {
    try (RawH2 raw = new RawH2("127.0.0.1", listenerPort + OFFSET);
        H2FrameBytes f = new H2FrameBytes()) {
      writeAll(raw, f.headers(1, H2FrameBytes.get("/x"), true).take());
      assertThat(answerOn(raw, 1)).isTrue();
    }
  }

  private static void writeAll(RawH2 raw, byte[] bytes) {
    try {
      raw.write(bytes);
    } catch (IOException closedWhileWriting) {
      // the proxy may close before everything is written; what it answered is still readable
    }
  }

  private void apply(GatewayProxy p, int listenerPort, long version) {
    VirtualHost vhost = new VirtualHost(List.of("foo.test"), List.of(new Route("a",
        RouteMatch.of(new PathMatch.Prefix("/")), List.of(),
        new Action.Forward(List.of(new WeightedCluster("A", 1)), 0))));
    assertThat(p.apply(version, List.of(new GatewayConfig(new GatewayRef("ns", "g"), 1,
        List.of(new HttpListener("l", "127.0.0.1", listenerPort, List.of(vhost))),
        Map.of("A", new Cluster("A", List.of(new Endpoint("127.0.0.1", a.port(), 1)),
            UpstreamProtocol.HTTP1))))))
        .isEmpty();
  }

  private static int freePort() throws IOException {
    for (int i = 0; i < 50; i++) {
      try (ServerSocket s = new ServerSocket(0)) {
        if (s.getLocalPort() > OFFSET) {
          return s.getLocalPort() - OFFSET;
        }
      }
    }
    throw new IOException("no free port above " + OFFSET);
  }
}
