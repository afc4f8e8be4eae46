package io.gatehouse.proxy.l4;

import static io.gatehouse.proxy.l4.TcpRelayIT.ADDRESS;
import static io.gatehouse.proxy.l4.TcpRelayIT.cluster;
import static io.gatehouse.proxy.l4.TcpRelayIT.connect;
import static io.gatehouse.proxy.l4.TcpRelayIT.freePort;
import static io.gatehouse.proxy.l4.TcpRelayIT.readToEnd;
import static io.gatehouse.proxy.l4.TlsPassthroughIT.clientHello;
import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.model.Cluster;
import io.gatehouse.model.GatewayConfig;
import io.gatehouse.model.GatewayRef;
import io.gatehouse.model.L4Route;
import io.gatehouse.model.TlsMixedListener;
import io.gatehouse.model.WeightedCluster;
import io.gatehouse.proxy.GatewayProxy;
import io.gatehouse.proxy.ProxyOptions;
import io.gatehouse.proxy.tls.TestCertificates;
import io.gatehouse.proxy.tls.TestCertificates.Issued;
import io.gatehouse.proxy.tls.TestCertificates.KeyFormat;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * TLSRouteModeMixed on loopback: one port serves a Passthrough route ({@code a.example}) and a
 * Terminate route ({@code b.example}); the ClientHello's SNI decides. Passthrough: backend A
 * receives the exact bytes sent, ClientHello included. Terminate: the client sees B's certificate,
 * and the plaintext it sends reaches backend B. Unknown SNI or none: closed with no byte written
 * back, and no backend is connected.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TlsMixedIT {
  private final Issued certificate = TestCertificates.rsa(KeyFormat.PKCS8, "b.example");
  private L4TestBackend a;
  private L4TestBackend b;
  private GatewayProxy proxy;
  private int port;

  @BeforeAll
  void start() throws IOException {
    a = new L4TestBackend("A");
    b = new L4TestBackend("B");
    proxy = GatewayProxy.start(
        new ProxyOptions(0, 2, Duration.ofSeconds(2), Duration.ofSeconds(2)));
    port = freePort();
    Cluster ca = cluster(a);
    Cluster cb = cluster(b);
    assertThat(proxy.apply(1, List.of(new GatewayConfig(new GatewayRef("default", "gw"), 1,
        List.of(new TlsMixedListener("default/gw/" + port, ADDRESS, port,
            List.of(route("pass", ca, "a.example")), List.of(route("term", cb, "b.example")),
            List.of(certificate.serve("b.example")))),
        Map.of(ca.name(), ca, cb.name(), cb))))).isEmpty();
  }

  @AfterAll
  void stop() throws IOException {
    proxy.close();
    a.close();
    b.close();
  }

  @Test
  void passthroughSniIsRelayedUnchanged() throws Exception {
    byte[] hello = clientHello("a.example");
    byte[] tail = new byte[1000];
    ThreadLocalRandom.current().nextBytes(tail);
    ByteArrayOutputStream sent = new ByteArrayOutputStream();
    sent.write(hello);
    sent.write(tail);
    byte[] bytes = sent.toByteArray();
    try (Socket s = connect(port)) {
      s.getOutputStream().write(hello);
      s.getOutputStream().flush();
      s.getOutputStream().write(tail);
      s.shutdownOutput();
      String got = new String(readToEnd(s.getInputStream()), StandardCharsets.ISO_8859_1);
      assertThat(got).isEqualTo("A\n" + new String(bytes, StandardCharsets.ISO_8859_1) + "A:"
          + L4TestBackend.sha256(bytes) + "\n");
    }
  }

  @Test
  void terminateSniIsTerminatedWithItsCertificateAndRelayedAsPlaintext() throws Exception {
    int before = b.accepted();
    try (SSLSocket s = (SSLSocket) certificate.trustingClient().getSocketFactory()
        .createSocket(ADDRESS, port)) {
      s.setSoTimeout(10_000);
      SSLParameters params = s.getSSLParameters();
      params.setServerNames(List.of(new SNIHostName("b.example")));
      s.setSSLParameters(params);
      s.startHandshake();
      assertThat(s.getSession().getPeerCertificates()[0]).isEqualTo(certificate.certificate());
      BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(),
          StandardCharsets.ISO_8859_1));
      assertThat(in.readLine()).isEqualTo("B");
      OutputStream out = s.getOutputStream();
      out.write("plain text over TLS\n".getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      // B echoes what it received: the decrypted bytes reached it unchanged.
      assertThat(in.readLine()).isEqualTo("plain text over TLS");
    }
    assertThat(b.accepted()).isEqualTo(before + 1);
  }

  @Test
  void unknownSniAndNoSniAreClosedWithoutAnyByte() throws Exception {
    int before = a.accepted() + b.accepted();
    assertClosedWithNothingWritten(clientHello("c.example"));
    assertClosedWithNothingWritten(clientHello(null));
    assertThat(a.accepted() + b.accepted()).isEqualTo(before);
  }

  private void assertClosedWithNothingWritten(byte[] hello) throws IOException {
    try (Socket s = connect(port)) {
      s.getOutputStream().write(hello);
      s.getOutputStream().flush();
      byte[] got;
      try {
        got = readToEnd(s.getInputStream());
      } catch (SocketException reset) {
        got = new byte[0];
      }
      assertThat(got).as("bytes written back").isEmpty();
    }
  }

  private static L4Route route(String name, Cluster cluster, String... hostnames) {
    return new L4Route("default/" + name, List.of(hostnames),
        List.of(new WeightedCluster(cluster.name(), 1)), 0);
  }
}
