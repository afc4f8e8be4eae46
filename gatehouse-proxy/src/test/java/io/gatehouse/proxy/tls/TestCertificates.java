package io.gatehouse.proxy.tls;

import io.gatehouse.model.SecretValue;
import io.gatehouse.model.ServerCertificate;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * Self-signed test certificates made with BouncyCastle, with their keys in each PEM form the proxy
 * reads, and a client {@link SSLContext} that trusts exactly one of them.
 */
public final class TestCertificates {
  private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

  /** How the private key is written. */
  public enum KeyFormat {
    /** {@code BEGIN PRIVATE KEY}. */
    PKCS8,
    /** {@code BEGIN RSA PRIVATE KEY}. */
    PKCS1,
    /** {@code BEGIN EC PRIVATE KEY}. */
    SEC1
  }

  /** A certificate for {@code dnsNames} (the first is also its CN) and its key as PEM. */
  public record Issued(X509Certificate certificate, KeyPair keys, String certificatePem,
      String keyPem) {
    /** The model certificate served for {@code serverNames}. */
    public ServerCertificate serve(String... serverNames) {
      return new ServerCertificate(List.of(serverNames), certificatePem, SecretValue.of(keyPem),
          "test/" + certificate.getSubjectX500Principal().getName());
    }

    /**
     * A TLS client context that trusts {@code server}'s certificate only and presents this
     * certificate (a client certificate) when the server asks for one.
     */
    public SSLContext presentingTo(Issued server) {
      try {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("client", this.keys.getPrivate(), new char[0],
            new java.security.cert.Certificate[]{certificate});
        javax.net.ssl.KeyManagerFactory kmf = javax.net.ssl.KeyManagerFactory
            .getInstance(javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, new char[0]);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("trusted", server.certificate());
        TrustManagerFactory tmf = TrustManagerFactory
            .getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return ctx;
      } catch (GeneralSecurityException | IOException e) {
        throw new IllegalStateException(e);
      }
    }

    /** A TLS client context that trusts this certificate only. */
    public SSLContext trustingClient() {
      try {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("trusted", certificate);
        TrustManagerFactory tmf = TrustManagerFactory
            .getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
      } catch (GeneralSecurityException | IOException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private TestCertificates() {
  }

  public static Issued rsa(KeyFormat format, String... dnsNames) {
    return issue(generate("RSA", null), format, dnsNames);
  }

  public static Issued ec(KeyFormat format, String... dnsNames) {
    return issue(generate("EC", new ECGenParameterSpec("secp256r1")), format, dnsNames);
  }

  /** A self-signed CA certificate (basicConstraints CA, keyCertSign) named {@code cn}. */
  public static Issued ca(String cn) {
    return signed(null, cn, true);
  }

  /** A client certificate (extendedKeyUsage clientAuth) for {@code cn}, signed by {@code ca}. */
  public static Issued client(Issued ca, String cn) {
    return signed(ca, cn, false);
  }

  private static Issued signed(Issued ca, String cn, boolean isCa) {
    try {
      KeyPair keys = generate("EC", new ECGenParameterSpec("secp256r1"));
      X500Name subject = new X500Name("CN=" + cn);
      X500Name issuer = ca == null
          ? subject
          : new X500Name(ca.certificate().getSubjectX500Principal().getName());
      Instant now = Instant.now();
      X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer,
          BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(now.minus(Duration.ofHours(1))),
          Date.from(now.plus(Duration.ofDays(1))), subject, keys.getPublic());
      if (isCa) {
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        b.addExtension(Extension.keyUsage, true,
            new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature));
      } else {
        b.addExtension(Extension.extendedKeyUsage, false,
            new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
      }
      java.security.PrivateKey signer = ca == null ? keys.getPrivate() : ca.keys().getPrivate();
      X509Certificate cert = new JcaX509CertificateConverter()
          .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer)));
      return new Issued(cert, keys, pem(cert), keyPem(keys, KeyFormat.PKCS8));
    } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static KeyPair generate(String algorithm, ECGenParameterSpec spec) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm);
      if (spec != null) {
        g.initialize(spec);
      } else {
        g.initialize(2048);
      }
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Issued issue(KeyPair keys, KeyFormat format, String... dnsNames) {
    try {
      X500Name subject = new X500Name("CN=" + dnsNames[0]);
      Instant now = Instant.now();
      X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject,
          BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(now.minus(Duration.ofHours(1))),
          Date.from(now.plus(Duration.ofDays(1))), subject, keys.getPublic());
      GeneralName[] names = new GeneralName[dnsNames.length];
      for (int i = 0; i < names.length; i++) {
        names[i] = new GeneralName(GeneralName.dNSName, dnsNames[i]);
      }
      b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
      String sig = keys.getPrivate().getAlgorithm().equals("EC")
          ? "SHA256withECDSA"
          : "SHA256withRSA";
      X509Certificate cert = new JcaX509CertificateConverter()
          .getCertificate(b.build(new JcaContentSignerBuilder(sig).build(keys.getPrivate())));
      return new Issued(cert, keys, pem(cert), keyPem(keys, format));
    } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** SEC1 with the curve named inside, as openssl writes it (the JDK's PKCS#8 leaves it out). */
  private static String sec1(KeyPair keys) throws IOException {
    PrivateKeyInfo info = PrivateKeyInfo.getInstance(keys.getPrivate().getEncoded());
    ECPrivateKey inner = ECPrivateKey.getInstance(info.parsePrivateKey());
    ECPrivateKey full = new ECPrivateKey(256, inner.getKey(),
        SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded()).getPublicKeyData(),
        info.getPrivateKeyAlgorithm().getParameters());
    return pem(new PemObject("EC PRIVATE KEY", full.getEncoded()));
  }

  private static String pem(Object o) throws IOException {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(out)) {
      w.writeObject(o);
    }
    return out.toString();
  }

  private static String keyPem(KeyPair keys, KeyFormat format) {
    try {
      return switch (format) {
        case PKCS8 -> "-----BEGIN PRIVATE KEY-----\n"
            + Base64.getMimeEncoder(64, new byte[]{'\n'})
                .encodeToString(keys.getPrivate().getEncoded())
            + "\n-----END PRIVATE KEY-----\n";
        // BouncyCastle writes a JDK RSA key as PKCS#1 ("traditional" PEM)
        case PKCS1 -> pem(keys.getPrivate());
        case SEC1 -> sec1(keys);
      };
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
