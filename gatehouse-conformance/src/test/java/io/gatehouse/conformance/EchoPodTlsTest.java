package io.gatehouse.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.testing.EchoOptions;
import io.gatehouse.testing.EchoServer;
import io.gatehouse.testing.EchoTls;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The emulated tls-backend pods (HARNESS.md §3.4): a Deployment with {@code TLS_SERVER_CERT} serves
 * HTTPS with the mounted generated Secret, reports the SNI and the client certificate it saw in the
 * echo's {@code tls} object, with the exact PEM text of the generated Secret.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EchoPodTlsTest {
  private static final String INFRA = "gateway-conformance-infra";
  private static GeneratedCertificates certs;

  @BeforeAll
  static void generate() {
    certs = GeneratedCertificates.generate();
  }

  @Test
  void plainDeploymentServesNoHttps() {
    assertThat(EchoPodTls.of(deployment(false, false), certs::value)).isNull();
  }

  @Test
  void reportsSniAndTheClientCertificateAsGeneratedPem() throws Exception {
    EchoTls tls = EchoPodTls.of(deployment(true, true), certs::value);
    assertThat(tls).isNotNull();
    assertThat(tls.clientCas()).hasSize(1);
    try (EchoServer echo = EchoServer.start(
        EchoOptions.of("127.0.0.1", 0, "tls-backend-abc-def", INFRA).withTls(tls))) {
      JsonNode body = get(echo.address().getPort(), "abc.example.com", true);
      assertThat(body.path("namespace").asText()).isEqualTo(INFRA);
      assertThat(body.path("tls").path("serverName").asText()).isEqualTo("abc.example.com");
      assertThat(body.path("tls").path("version").asText()).isIn("TLSv1.3", "TLSv1.2");
      assertThat(body.path("tls").path("peerCertificates").get(0).asText()).isEqualTo(
          certs.value("Secret/" + INFRA + "/tls-checks-client-certificate/tls.crt"));
    }
  }

  @Test
  void omitsPeerCertificatesWithoutAClientCertificate() throws Exception {
    EchoTls tls = EchoPodTls.of(deployment(true, false), certs::value);
    try (EchoServer echo = EchoServer.start(
        EchoOptions.of("127.0.0.1", 0, "tls-backend-abc-def", INFRA).withTls(tls))) {
      JsonNode body = get(echo.address().getPort(), "other.example.com", false);
      assertThat(body.path("tls").path("serverName").asText()).isEqualTo("other.example.com");
      assertThat(body.path("tls").has("peerCertificates")).isFalse();
    }
  }

  private static JsonNode get(int port, String sni, boolean clientCert) throws Exception {
    SSLContext ctx = SSLContext.getInstance("TLS");
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(
        TrustManagerFactory.getDefaultAlgorithm());
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("ca", cert(certs.value("ConfigMap/" + INFRA
        + "/tls-checks-ca-certificate/ca.crt")));
    tmf.init(trust);
    KeyManagerFactory kmf = null;
    if (clientCert) {
      EchoTls client = EchoPodTls.of(clientDeployment(), certs::value);
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(null, null);
      keys.setKeyEntry("client", client.key(), new char[0],
          client.chain().toArray(new X509Certificate[0]));
      kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keys, new char[0]);
    }
    ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", port)) {
      SSLParameters p = s.getSSLParameters();
      p.setServerNames(List.of(new SNIHostName(sni)));
      p.setEndpointIdentificationAlgorithm("HTTPS");
      s.setSSLParameters(p);
      s.setSoTimeout(10_000);
      // the hostname check runs against the SNI name, which the certificate carries
      s.getOutputStream().write(("GET /x HTTP/1.1\r\nHost: " + sni
          + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      String response = new String(readAll(s.getInputStream()), StandardCharsets.UTF_8);
      assertThat(response).startsWith("HTTP/1.1 200");
      return new ObjectMapper().readTree(response.substring(response.indexOf("\r\n\r\n") + 4));
    }
  }

  private static byte[] readAll(InputStream in) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    in.transferTo(out);
    return out.toByteArray();
  }

  private static X509Certificate cert(String pem) throws Exception {
    return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
        new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
  }

  /** The tls-backend Deployment of the manifests, reduced to what EchoPodTls reads. */
  private static ObjectNode deployment(boolean tls, boolean clientCas) {
    String env = tls
        ? "[{\"name\":\"TLS_SERVER_CERT\",\"value\":\"/etc/secret-volume/crt\"},"
            + "{\"name\":\"TLS_SERVER_PRIVKEY\",\"value\":\"/etc/secret-volume/key\"}"
            + (clientCas ? ",{\"name\":\"TLS_CLIENT_CACERTS\",\"value\":\"/etc/cm/ca\"}" : "") + "]"
        : "[]";
    return json("{\"metadata\":{\"name\":\"tls-backend\",\"namespace\":\"" + INFRA + "\"},"
        + "\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"env\":" + env + "}],"
        + "\"volumes\":[{\"name\":\"s\",\"secret\":{\"secretName\":\"tls-checks-certificate\"}}"
        + (clientCas
            ? ",{\"name\":\"c\",\"configMap\":{\"name\":\"tls-checks-ca-certificate\"}}"
            : "")
        + "]}}}}");
  }

  /** Reads the client certificate Secret through the same path (its key and chain). */
  private static ObjectNode clientDeployment() {
    return json("{\"metadata\":{\"name\":\"c\",\"namespace\":\"" + INFRA + "\"},"
        + "\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"env\":[{\"name\":"
        + "\"TLS_SERVER_CERT\"}]}],\"volumes\":[{\"secret\":{\"secretName\":"
        + "\"tls-checks-client-certificate\"}}]}}}}");
  }

  private static ObjectNode json(String s) {
    try {
      return (ObjectNode) new ObjectMapper().readTree(s);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
