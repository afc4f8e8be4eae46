package io.gatehouse.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.testing.DatagramServer;
import io.gatehouse.testing.DnsWhoami;
import io.gatehouse.testing.EchoServer;
import io.gatehouse.testing.UdpEcho;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The UDP traffic cases against UDP servers on 127.0.0.1 standing in for the Gateway. */
class UdpChecksTest {
  static EventLoopGroup group;
  static DatagramServer echo;
  static DatagramServer dns;
  static DatagramServer alternating;
  static DatagramServer garbage;

  @BeforeAll
  static void start() {
    group = EchoServer.newEventLoopGroup(1);
    InetSocketAddress any = new InetSocketAddress("127.0.0.1", 0);
    echo = DatagramServer.start(any, UdpEcho.READ_BUFFER,
        new UdpEcho("udp-backend-v1-5d9c8b7f4-abcde", "infra", "udp-backend-v1")::answer, group);
    dns = DatagramServer.start(any, DnsWhoami.READ_BUFFER, new DnsWhoami("foo.bar.com")::answer,
        group);
    AtomicInteger n = new AtomicInteger();
    UdpEcho v1 = new UdpEcho("udp-backend-v1-5d9c8b7f4-abcde", "infra", "udp-backend-v1");
    UdpEcho v2 = new UdpEcho("udp-backend-v2-5d9c8b7f4-abcde", "infra", "udp-backend-v2");
    alternating = DatagramServer.start(any, UdpEcho.READ_BUFFER,
        (p, s) -> n.incrementAndGet() % 2 == 0 ? v1.answer(p, s) : v2.answer(p, s), group);
    garbage = DatagramServer.start(any, 512, (p, s) -> new byte[]{p[0], p[1], 0}, group);
  }

  @AfterAll
  static void stop() {
    echo.close();
    dns.close();
    alternating.close();
    garbage.close();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }

  private final UdpChecks checks = new UdpChecks(Duration.ofMillis(600),
      Duration.ofMillis(300));

  private static Target target(DatagramServer s) {
    return new Target("127.0.0.1", s.address().getPort(), 0, "udp");
  }

  private static JsonNode yaml(String s) throws Exception {
    return Yaml.MAPPER.readTree(s);
  }

  @Test
  void udpEchoComparesServiceAndNamespace() throws Exception {
    checks.run("udpEcho", yaml("""
        {payload: gateway-api-conformance-udp-echo,
         expect: {service: udp-backend-v1, namespace: infra}}"""), () -> target(echo));
    assertThatThrownBy(() -> checks.run("udpEcho", yaml("""
        {payload: x, expect: {service: udp-echo-attach-all}}"""), () -> target(echo)))
        .isInstanceOf(AssertionFailure.class)
        .hasMessageContaining("service is \"udp-backend-v1\"");
  }

  @Test
  void udpEchoAnyReplyNeedsAReply() throws Exception {
    checks.run("udpEcho", yaml("{payload: x, expect: {anyReply: true}}"), () -> target(echo));
    // The DNS responder ignores a datagram shorter than a DNS header: no reply, not yet.
    assertThatThrownBy(() -> checks.run("udpEcho", yaml("{payload: x, expect: {anyReply: true}}"),
        () -> target(dns)))
        .isInstanceOf(AssertionFailure.class)
        .hasMessageContaining("timed out");
    assertThatThrownBy(() -> checks.run("udpEcho", yaml("{payload: x, expect: {anyReply: true}}"),
        () -> new Target("127.0.0.1", 9, 0, "udp")))
        .isInstanceOf(AssertionFailure.class);
  }

  @Test
  void backendSamplingFailsAtOnceOnAnotherBackend() throws Exception {
    String c = """
        {payload: "w\\n", probesPerRound: 5, probeTimeout: 300ms, pollInterval: 100ms,
         timeout: 1s, expectBackend: udp-backend-v1}""";
    checks.run("udpBackendSampling", yaml(c), () -> target(echo));
    assertThatThrownBy(() -> checks.run("udpBackendSampling", yaml(c),
        () -> target(alternating)))
        .isInstanceOf(AssertionFailure.class)
        .hasMessageContaining("backend udp-backend-v2");
  }

  @Test
  void weightedDistributionChecksEveryShare() throws Exception {
    String c = """
        {before: [{type: udpEcho, payload: x, expect: {anyReply: true}}], payload: "w\\n",
         sendTimeout: 1s, totalRequests: 100, concurrency: 1, tolerance: 0.05, maxAttempts: 1,
         expectedWeights: {udp-backend-v1: 0.5, udp-backend-v2: 0.5, udp-backend-v3: 0.0}}""";
    checks.run("udpWeightedDistribution", yaml(c), () -> target(alternating));
    assertThatThrownBy(() -> checks.run("udpWeightedDistribution", yaml(c),
        () -> target(echo)))
        .isInstanceOf(AssertionFailure.class)
        .hasMessageContaining("udp-backend-v1 got 1.000 of the flows");
  }

  @Test
  void dnsQueryNeedsAWellFormedReplyWithTheId() throws Exception {
    String c = """
        {query: {name: foo.bar.com., qtype: A, recursionDesired: true}, attemptTimeout: 300ms,
         readBufferBytes: 512, pollInterval: 100ms, timeout: 1s}""";
    checks.run("dnsQuery", yaml(c), () -> target(dns));
    assertThatThrownBy(() -> checks.run("dnsQuery", yaml(c), () -> target(garbage)))
        .isInstanceOf(AssertionFailure.class)
        .hasMessageContaining("malformed DNS reply");
  }

  @Test
  void dnsQueryIsTheStandard29ByteQuery() {
    byte[] q = DnsMessages.query(0x1234, "foo.bar.com.", DnsMessages.type("A"), true);
    assertThat(q).hasSize(29);
    assertThat(DnsMessages.id(q)).isEqualTo(0x1234);
    assertThat(q[2]).isEqualTo((byte) 1);
    assertThat(DnsMessages.wellFormed(q, q.length)).isNull();
    assertThat(DnsMessages.wellFormed(q, 20)).contains("cut short");
    assertThat(DnsMessages.wellFormed(q, 11)).contains("shorter than a DNS header");
  }
}
