package io.gatehouse.proxy.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.proxy.tls.TestCertificates.Issued;
import io.gatehouse.proxy.tls.TestCertificates.KeyFormat;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslProvider;
import java.security.GeneralSecurityException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading certificate chains and private keys in each PEM form, and rejecting bad ones. */
class KeyMaterialTest {
  private static final Issued RSA8 = TestCertificates.rsa(KeyFormat.PKCS8, "a.test");
  private static final Issued RSA1 = TestCertificates.rsa(KeyFormat.PKCS1, "b.test");
  private static final Issued EC = TestCertificates.ec(KeyFormat.SEC1, "c.test");
  private static final Issued EC8 = TestCertificates.ec(KeyFormat.PKCS8, "d.test");

  @Test
  void readsPkcs8RsaKeys() throws Exception {
    assertThat(RSA8.keyPem()).startsWith("-----BEGIN PRIVATE KEY-----");
    KeyMaterial m = KeyMaterial.parse(RSA8.certificatePem(), RSA8.keyPem());
    assertThat(m.key().getAlgorithm()).isEqualTo("RSA");
    assertThat(m.key().getEncoded()).isEqualTo(RSA8.keys().getPrivate().getEncoded());
    assertThat(m.chain()).containsExactly(RSA8.certificate());
  }

  @Test
  void readsPkcs1RsaKeys() throws Exception {
    assertThat(RSA1.keyPem()).startsWith("-----BEGIN RSA PRIVATE KEY-----");
    KeyMaterial m = KeyMaterial.parse(RSA1.certificatePem(), RSA1.keyPem());
    assertThat(m.key().getAlgorithm()).isEqualTo("RSA");
    assertThat(m.key().getEncoded()).isEqualTo(RSA1.keys().getPrivate().getEncoded());
  }

  @Test
  void readsSec1AndPkcs8EcKeys() throws Exception {
    assertThat(EC.keyPem()).startsWith("-----BEGIN EC PRIVATE KEY-----");
    KeyMaterial m = KeyMaterial.parse(EC.certificatePem(), EC.keyPem());
    assertThat(m.key().getAlgorithm()).isEqualTo("EC");
    assertThat(KeyMaterial.parse(EC8.certificatePem(), EC8.keyPem()).key().getAlgorithm())
        .isEqualTo("EC");
  }

  @Test
  void readsAChainLeafFirst() throws Exception {
    KeyMaterial m = KeyMaterial.parse(RSA1.certificatePem() + EC.certificatePem(), RSA1.keyPem());
    assertThat(m.chain()).containsExactly(RSA1.certificate(), EC.certificate());
  }

  @Test
  void rejectsAKeyOfAnotherCertificate() {
    assertThatThrownBy(() -> KeyMaterial.parse(RSA8.certificatePem(), RSA1.keyPem()))
        .isInstanceOf(GeneralSecurityException.class).hasMessageContaining("does not match");
    assertThatThrownBy(() -> KeyMaterial.parse(EC.certificatePem(), RSA1.keyPem()))
        .isInstanceOf(GeneralSecurityException.class).hasMessageContaining("does not match");
  }

  @Test
  void rejectsGarbageWithoutQuotingIt() {
    String secret = "-----BEGIN RSA PRIVATE KEY-----\nTOPSECRETbm90IGEga2V5\n"
        + "-----END RSA PRIVATE KEY-----\n";
    assertThatThrownBy(() -> KeyMaterial.parse(RSA1.certificatePem(), secret))
        .isInstanceOf(GeneralSecurityException.class).message().doesNotContain("TOPSECRET");
    assertThatThrownBy(() -> KeyMaterial.parse(RSA1.certificatePem(), "nothing here"))
        .hasMessageContaining("no private key");
    assertThatThrownBy(() -> KeyMaterial.parse("not a certificate", RSA1.keyPem()))
        .isInstanceOf(GeneralSecurityException.class);
    assertThatThrownBy(() -> KeyMaterial.parse(RSA1.certificatePem(), RSA1.certificatePem()))
        .hasMessageContaining("unsupported private key type");
  }

  @Test
  void buildsContextsWithTheDetectedProviderAndReportsBadCertificates() {
    ServerTlsContexts contexts = new ServerTlsContexts(ServerTlsContexts.detectProvider());
    List<String> failures = new java.util.ArrayList<>();
    var listener = new io.gatehouse.model.HttpsListener("l", "127.0.0.1", 443, List.of(),
        List.of(RSA1.serve("b.test"), EC.serve("*"),
            new io.gatehouse.model.ServerCertificate(List.of("bad.test"), RSA8.certificatePem(),
                io.gatehouse.model.SecretValue.of(RSA1.keyPem()), "Secret/ns/bad")));
    SniMapping<SslContext> m = contexts.mappingOf(listener,
        (c, why) -> failures.add(c.source() + ": " + why));
    assertThat(failures).containsExactly(
        "Secret/ns/bad: private key does not match the leaf certificate");
    assertThat(m.select("b.test")).isNotNull().isNotSameAs(m.select("bad.test"));
    assertThat(m.select("bad.test")).isSameAs(m.select(null)); // falls to the default
    // cached by material: the same context on the next apply, so session caches survive
    SslContext before = m.select("b.test");
    contexts.evictUnused();
    assertThat(contexts.mappingOf(listener, (c, why) -> {
    }).select("b.test")).isSameAs(before);
    assertThat(contexts.provider()).isIn(SslProvider.OPENSSL, SslProvider.JDK);
  }
}
