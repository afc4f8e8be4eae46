package io.gatehouse.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.Test;

class TlsTrustTest {
  @Test
  void goWildcardRules() {
    assertThat(TlsTrust.matches("*.org", "example.org")).isTrue();
    assertThat(TlsTrust.matches("*.wildcard.org", "fourth-example.wildcard.org")).isTrue();
    assertThat(TlsTrust.matches("*.org", "a.example.org")).isFalse();
    assertThat(TlsTrust.matches("*.org", "org")).isFalse();
    assertThat(TlsTrust.matches("Example.ORG", "example.org.")).isTrue();
  }

  @Test
  void generatedCertificatesHaveTheSuitesShape() throws Exception {
    GeneratedCertificates certs = GeneratedCertificates.generate();
    String crt = certs
        .value("Secret/gateway-conformance-infra/tls-validity-checks-certificate/tls.crt");
    X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(crt.getBytes(StandardCharsets.US_ASCII)));
    assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("O=Acme Co,CN=default");
    assertThat(TlsTrust.dnsNames(cert)).containsExactly("*.org", "*.wildcard.org");
    assertThat(
        certs.value("Secret/gateway-conformance-infra/tls-validity-checks-certificate/tls.key"))
        .startsWith("-----BEGIN RSA PRIVATE KEY-----");
    assertThat(certs.value("ConfigMap/gateway-conformance-infra/tls-checks-ca-certificate/ca.crt"))
        .startsWith("-----BEGIN CERTIFICATE-----");
    assertThat(certs.objects().size()).isEqualTo(14);
  }
}
