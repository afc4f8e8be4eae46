package io.gatehouse.proxy;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A test CA and the certificates it signs, for upstream TLS tests: server certificates with DNS and
 * URI SANs, client certificates without SANs. Keys are PKCS#1 PEM, as the conformance suite writes
 * them.
 */
public final class BackendCertificates {
  private static final AtomicLong SERIAL = new AtomicLong(System.nanoTime());

  /** A certificate, its key and PEM forms. */
  public record Pair(X509Certificate certificate, KeyPair keys, String certificatePem,
      String keyPem) {
  }

  private final KeyPair caKeys = rsa();
  private final X500Name caName;
  public final Pair ca;

  public BackendCertificates(String caCommonName) {
    caName = new X500Name("CN=" + caCommonName);
    ca = sign(caName, caKeys, List.of(), true);
  }

  /** A server certificate with DNS SANs {@code dns} and URI SANs {@code uris}. */
  public Pair server(List<String> dns, List<String> uris) {
    List<GeneralName> names = new java.util.ArrayList<>();
    dns.forEach(d -> names.add(new GeneralName(GeneralName.dNSName, d)));
    uris.forEach(u -> names.add(new GeneralName(GeneralName.uniformResourceIdentifier, u)));
    return sign(new X500Name("CN=backend"), rsa(), names, false);
  }

  /** A client certificate without SANs. */
  public Pair client(String commonName) {
    return sign(new X500Name("CN=" + commonName), rsa(), List.of(), false);
  }

  private Pair sign(X500Name subject, KeyPair keys, List<GeneralName> sans, boolean isCa) {
    try {
      Instant now = Instant.now();
      X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(caName,
          BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(now.minus(Duration.ofHours(1))),
          Date.from(now.plus(Duration.ofDays(1))), subject, keys.getPublic());
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
      if (isCa) {
        b.addExtension(Extension.keyUsage, true,
            new KeyUsage(KeyUsage.keyCertSign | KeyUsage.digitalSignature));
      }
      if (!sans.isEmpty()) {
        b.addExtension(Extension.subjectAlternativeName, false,
            new GeneralNames(sans.toArray(new GeneralName[0])));
      }
      X509Certificate cert = new JcaX509CertificateConverter().getCertificate(
          b.build(new JcaContentSignerBuilder("SHA256withRSA").build(caKeys.getPrivate())));
      return new Pair(cert, keys, pem(cert), pem(keys.getPrivate()));
    } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static KeyPair rsa() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String pem(Object o) throws IOException {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(out)) {
      w.writeObject(o);
    }
    return out.toString();
  }
}
