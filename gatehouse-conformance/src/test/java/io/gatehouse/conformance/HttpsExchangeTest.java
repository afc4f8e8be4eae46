package io.gatehouse.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * HTTPS the way the suite's Go client does it, against a JDK TLS server holding the generated
 * {@code tls-validity-checks-certificate} (self-signed, SANs URI "*", DNS "*.org" and
 * "*.wildcard.org"): trusted as its own root, host names checked with Go's wildcard rules.
 */
class HttpsExchangeTest {
  static final String CERT = "Secret/gateway-conformance-infra/tls-validity-checks-certificate/";
  static GeneratedCertificates certs;
  static SSLServerSocket server;
  static Thread acceptor;

  @BeforeAll
  static void start() throws Exception {
    certs = GeneratedCertificates.generate();
    Certificate cert = CertificateFactory.getInstance("X.509").generateCertificate(
        new ByteArrayInputStream(
            certs.value(CERT + "tls.crt").getBytes(StandardCharsets.US_ASCII)));
    PrivateKey key;
    try (PEMParser p = new PEMParser(new StringReader(certs.value(CERT + "tls.key")))) {
      key = new JcaPEMKeyConverter().getKeyPair((PEMKeyPair) p.readObject()).getPrivate();
    }
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry("server", key, new char[0], new Certificate[]{cert});
    KeyManagerFactory kmf = KeyManagerFactory.getInstance("SunX509");
    kmf.init(ks, new char[0]);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), null, null);
    server = (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket(0, 50,
        java.net.InetAddress.getLoopbackAddress());
    acceptor = new Thread(HttpsExchangeTest::serve, "https-test-server");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  private static void serve() {
    for (int i = 0; i < 100 && !server.isClosed(); i++) {
      try (SSLSocket s = (SSLSocket) server.accept()) {
        s.setSoTimeout(2000);
        var in = s.getInputStream();
        int b;
        int state = 0;
        while (state < 4 && (b = in.read()) != -1) {
          state = (b == '\r' && state % 2 == 0) || (b == '\n' && state % 2 == 1) ? state + 1 : 0;
        }
        s.getOutputStream().write(("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n"
            + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      } catch (java.io.IOException e) {
        // the next connection
      }
    }
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  private HttpExchange.Response get(String serverName) throws Exception {
    SSLContext ctx = TlsTrust.trustingOnly(certs.value(CERT + "tls.crt"));
    return HttpExchange.send(new java.net.InetSocketAddress(server.getInetAddress(),
        server.getLocalPort()), new HttpExchange.Tls(ctx, serverName, TlsTrust.GO_HOSTNAME_CHECK),
        "GET", "/", serverName, List.of(), Duration.ofSeconds(2));
  }

  @Test
  void selfSignedLeafIsTrustedAndWildcardMatchesLikeGo() throws Exception {
    assertThat(get("example.org").status()).isEqualTo(404);
    assertThat(get("fourth-example.wildcard.org").status()).isEqualTo(404);
  }

  @Test
  void hostNameOutsideTheSansIsRejected() {
    assertThatThrownBy(() -> get("example.com"))
        .hasMessageContaining("certificate is valid for [*.org, *.wildcard.org], not example.com");
  }

  @Test
  void httpsFailureCaseFailsWhenTheServerAnswers() throws Exception {
    JsonNode c = Yaml.MAPPER.readTree("""
        type: httpsFailure
        request: {host: example.org, path: /, protocol: HTTPS}
        tls:
          serverName: example.org
          trustedCertFrom: {kind: Secret, namespace: gateway-conformance-infra,
            name: tls-validity-checks-certificate, key: tls.crt}
        """);
    TrafficChecks checks = new TrafficChecks(new TrafficChecks.Timing(Duration.ofMillis(500), 3,
        Duration.ofSeconds(1), Duration.ofMillis(50)), certs::value, (ns, app) -> List.of());
    Target t = new Target(server.getInetAddress().getHostAddress(), server.getLocalPort(), 0,
        "https");
    assertThatThrownBy(() -> checks.run(c, () -> t))
        .hasMessageContaining("got an HTTP response 404, expected a TLS/transport failure");
  }

  @Test
  void clientCertificateThatIsNeverAskedForFailsTheCheck() throws Exception {
    JsonNode c = Yaml.MAPPER.readTree("""
        request: {host: example.org, path: /, protocol: HTTPS}
        response: {statusCodes: [404]}
        tls:
          serverName: example.org
          trustedCertFrom: {kind: Secret, namespace: gateway-conformance-infra,
            name: tls-validity-checks-certificate, key: tls.crt}
          clientCertFrom: {kind: Secret, namespace: gateway-conformance-infra,
            name: tls-validity-checks-client-certificate, keys: [tls.crt, tls.key]}
          mustBeAskedForClientCert: true
        """);
    TrafficChecks checks = new TrafficChecks(new TrafficChecks.Timing(Duration.ofMillis(500), 3,
        Duration.ofSeconds(1), Duration.ofMillis(50)), certs::value, (ns, app) -> List.of());
    Target t = new Target(server.getInetAddress().getHostAddress(), server.getLocalPort(), 0,
        "https");
    assertThatThrownBy(() -> checks.run(c, () -> t))
        .hasMessageContaining("the Gateway did not ask for a client certificate");
  }
}
