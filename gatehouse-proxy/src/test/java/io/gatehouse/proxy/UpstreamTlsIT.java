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
import io.gatehouse.model.SecretValue;
import io.gatehouse.model.UpstreamProtocol;
import io.gatehouse.model.UpstreamTls;
import io.gatehouse.model.UpstreamTls.SubjectAltName;
import io.gatehouse.model.VirtualHost;
import io.gatehouse.model.WeightedCluster;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Upstream TLS (BackendTLSPolicy) on loopback: the proxy originates TLS with SNI = the policy
 * hostname, verifies the backend's chain against the configured CA and its names against the
 * hostname or the subjectAltNames, presents the Gateway's client certificate, reuses verified
 * connections, and never sends a request when verification fails (503 instead).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UpstreamTlsIT {
  private static final int OFFSET = 10_000;
  private static final AtomicLong VERSION = new AtomicLong();
  private static final String SPIFFE = "spiffe://abc.example.com/test-identity";

  private final BackendCertificates pki = new BackendCertificates("backend-ca");
  private final BackendCertificates otherPki = new BackendCertificates("unrelated-ca");
  private TlsUpstream upstream;
  private GatewayProxy proxy;

  @BeforeAll
  void start() throws Exception {
    upstream = new TlsUpstream(
        pki.server(List.of("abc.example.com", "other.example.com"), List.of(SPIFFE)),
        pki.ca.certificate());
    proxy = GatewayProxy.start(
        new ProxyOptions(OFFSET, 2, Duration.ofSeconds(2), Duration.ofSeconds(5)),
        Transport.of(true), SslProvider.OPENSSL);
  }

  @AfterAll
  void stop() {
    proxy.close();
    upstream.close();
  }

  @Test
  void verifiedTlsWithTheHostnameAsSniAndPooledConnections() throws Exception {
    int before = upstream.handshakes.get();
    int port = serve(tls("abc.example.com", pki.ca.certificatePem(), List.of(), null));
    try (RawHttp http = new RawHttp("127.0.0.2", port + OFFSET)) {
      RawHttp.Response first = http.get("abc.example.com", "/a");
      assertThat(first.status()).isEqualTo(200);
      assertThat(first.headers()).containsEntry("x-sni", "abc.example.com")
          .containsEntry("x-client-cn", "");
      assertThat(http.get("abc.example.com", "/b").status()).isEqualTo(200);
    }
    assertThat(upstream.handshakes.get() - before).as("the second request reuses the connection")
        .isEqualTo(1);
  }

  @Test
  void wrongCaIsRefusedAndNothingIsSent() throws Exception {
    int requests = upstream.requests.get();
    int port = serve(tls("abc.example.com", otherPki.ca.certificatePem(), List.of(), null));
    assertThat(get(port).status()).isEqualTo(503);
    assertThat(upstream.requests.get()).isEqualTo(requests);
  }

  @Test
  void hostnameNotInTheCertificateIsRefused() throws Exception {
    int requests = upstream.requests.get();
    int port = serve(tls("mismatch.example.com", pki.ca.certificatePem(), List.of(), null));
    assertThat(get(port).status()).isEqualTo(503);
    assertThat(upstream.requests.get()).isEqualTo(requests);
  }

  @Test
  void uriSubjectAltNameReplacesTheHostnameAsIdentity() throws Exception {
    int port = serve(tls("not-in-cert.example.com", pki.ca.certificatePem(),
        List.of(new SubjectAltName(SubjectAltName.Type.URI, SPIFFE)), null));
    RawHttp.Response r = get(port);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.headers()).containsEntry("x-sni", "not-in-cert.example.com");
  }

  @Test
  void hostnameSubjectAltNameMatches() throws Exception {
    int port = serve(tls("abc.example.com", pki.ca.certificatePem(),
        List.of(new SubjectAltName(SubjectAltName.Type.HOSTNAME, "other.example.com")), null));
    assertThat(get(port).status()).isEqualTo(200);
  }

  @Test
  void subjectAltNamesMismatchIsRefusedEvenWhenTheHostnameMatches() throws Exception {
    int requests = upstream.requests.get();
    int port = serve(tls("abc.example.com", pki.ca.certificatePem(),
        List.of(new SubjectAltName(SubjectAltName.Type.HOSTNAME, "nomatch.example.com"),
            new SubjectAltName(SubjectAltName.Type.URI, "spiffe://abc.example.com/other")),
        null));
    assertThat(get(port).status()).isEqualTo(503);
    assertThat(upstream.requests.get()).isEqualTo(requests);
  }

  @Test
  void clientCertificateIsPresentedWhenConfigured() throws Exception {
    BackendCertificates.Pair client = pki.client("gatehouse-client");
    int port = serve(tls("abc.example.com", pki.ca.certificatePem(), List.of(),
        new UpstreamTls.ClientCertificate(client.certificatePem(),
            SecretValue.of(client.keyPem()), "test/client")));
    RawHttp.Response r = get(port);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.headers()).containsEntry("x-client-cn", "CN=gatehouse-client");
  }

  @Test
  void tlsThatTrustsNothingAnswers503WithoutConnecting() throws Exception {
    int handshakes = upstream.handshakes.get();
    int requests = upstream.requests.get();
    int port = serve(new UpstreamTls("abc.example.com", List.of(), false, List.of(), null,
        "test/invalid"));
    assertThat(get(port).status()).isEqualTo(503);
    assertThat(upstream.handshakes.get()).isEqualTo(handshakes);
    assertThat(upstream.requests.get()).isEqualTo(requests);
  }

  private RawHttp.Response get(int port) throws IOException {
    try (RawHttp http = new RawHttp("127.0.0.2", port + OFFSET)) {
      return http.get("abc.example.com", "/");
    }
  }

  private static UpstreamTls tls(String hostname, String caPem, List<SubjectAltName> sans,
      UpstreamTls.@Nullable ClientCertificate client) {
    return new UpstreamTls(hostname, List.of(caPem), false, sans, client, "test/policy");
  }

  /** Serves a new HTTP listener forwarding everything to the TLS upstream; returns its port. */
  private int serve(UpstreamTls tls) throws IOException {
    int port = freePort();
    Cluster cluster = new Cluster("tls", List.of(new Endpoint("127.0.0.1", upstream.port(), 1)),
        UpstreamProtocol.HTTP1, tls);
    VirtualHost vh = new VirtualHost(List.of("*"), List.of(new Route("r",
        RouteMatch.of(new PathMatch.Prefix("/")), List.of(),
        new Action.Forward(List.of(new WeightedCluster("tls", 1)), 0))));
    long v = VERSION.incrementAndGet();
    assertThat(proxy.apply(v, List.of(new GatewayConfig(new GatewayRef("ns", "g"), 1,
        List.of(new HttpListener("ns/http/" + port, "127.0.0.2", port, List.of(vh))),
        Map.of("tls", cluster))))).isEmpty();
    return port;
  }

  private static int freePort() throws IOException {
    for (int i = 0; i < 50; i++) {
      try (ServerSocket s = new ServerSocket(0)) {
        if (s.getLocalPort() > OFFSET) {
          return s.getLocalPort() - OFFSET;
        }
      }
    }
    throw new IllegalStateException("no free port");
  }
}
