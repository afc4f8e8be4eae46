package io.gatehouse.conformance;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509CertificateHolder;

/**
 * Client TLS as the Go suite sets it up: trust exactly one PEM certificate (a CA or a self-signed
 * leaf) and verify the server name against the certificate's DNS SANs with Go's rules, read with
 * BouncyCastle because the JDK gives up on a SAN list holding the URI {@code *} (HARNESS.md §5).
 */
final class TlsTrust {
  /** Hostname verification after the handshake. */
  interface HostnameCheck {
    void verify(SSLSession session, String serverName) throws SSLPeerUnverifiedException;
  }

  private TlsTrust() {
  }

  /** A client context trusting only {@code pem} (no client certificate). */
  static SSLContext trustingOnly(String pem) throws GeneralSecurityException {
    return context(pem, null, null, null);
  }

  /**
   * A client context trusting only {@code trustedPem} and, when {@code certPem} is given,
   * presenting that certificate with {@code keyPem} (PKCS#1 or PKCS#8) if the server asks;
   * {@code asked} is set when it does (the server sent a CertificateRequest).
   */
  static SSLContext context(String trustedPem, String certPem, String keyPem,
      java.util.concurrent.atomic.AtomicBoolean asked) throws GeneralSecurityException {
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(certPem == null
        ? null
        : new javax.net.ssl.KeyManager[]{
            keyManager(certPem, keyPem, asked)},
        new TrustManager[]{trustManager(trustedPem)}, null);
    return ctx;
  }

  private static javax.net.ssl.X509KeyManager keyManager(String certPem, String keyPem,
      java.util.concurrent.atomic.AtomicBoolean asked) throws GeneralSecurityException {
    X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(certPem.getBytes(StandardCharsets.US_ASCII)));
    java.security.PrivateKey key;
    try (org.bouncycastle.openssl.PEMParser parser = new org.bouncycastle.openssl.PEMParser(
        new java.io.StringReader(keyPem))) {
      Object o = parser.readObject();
      var converter = new org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter();
      key = o instanceof org.bouncycastle.openssl.PEMKeyPair kp
          ? converter.getKeyPair(kp).getPrivate()
          : converter.getPrivateKey((org.bouncycastle.asn1.pkcs.PrivateKeyInfo) o);
    } catch (java.io.IOException | ClassCastException e) {
      throw new GeneralSecurityException("unreadable client key", e);
    }
    return new javax.net.ssl.X509ExtendedKeyManager() {
      @Override
      public String chooseClientAlias(String[] keyType, java.security.Principal[] issuers,
          java.net.Socket socket) {
        if (asked != null) {
          asked.set(true);
        }
        return "client";
      }

      @Override
      public String chooseEngineClientAlias(String[] keyType, java.security.Principal[] issuers,
          javax.net.ssl.SSLEngine engine) {
        return chooseClientAlias(keyType, issuers, null);
      }

      @Override
      public X509Certificate[] getCertificateChain(String alias) {
        return new X509Certificate[]{cert};
      }

      @Override
      public java.security.PrivateKey getPrivateKey(String alias) {
        return key;
      }

      @Override
      public String[] getClientAliases(String keyType, java.security.Principal[] issuers) {
        return new String[]{"client"};
      }

      @Override
      public String[] getServerAliases(String keyType, java.security.Principal[] issuers) {
        return null;
      }

      @Override
      public String chooseServerAlias(String keyType, java.security.Principal[] issuers,
          java.net.Socket socket) {
        return null;
      }
    };
  }

  private static X509TrustManager trustManager(String pem) throws GeneralSecurityException {
    X509Certificate anchor = (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
    try {
      ks.load(null, null);
    } catch (java.io.IOException e) {
      throw new GeneralSecurityException(e);
    }
    ks.setCertificateEntry("anchor", anchor);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
    tmf.init(ks);
    X509TrustManager pkix = (X509TrustManager) tmf.getTrustManagers()[0];
    X509TrustManager tm = new X509TrustManager() {
      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType)
          throws CertificateException {
        throw new CertificateException("client side only");
      }

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType)
          throws CertificateException {
        if (chain.length > 0 && chain[0].equals(anchor)) {
          return; // Go trusts a leaf given as the root
        }
        pkix.checkServerTrusted(chain, authType);
      }

      @Override
      public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[]{anchor};
      }
    };
    return tm;
  }

  /** Go's {@code VerifyHostname}: DNS SANs only, a leading {@code *} label matches one label. */
  static final HostnameCheck GO_HOSTNAME_CHECK = (session, serverName) -> {
    X509Certificate leaf = (X509Certificate) session.getPeerCertificates()[0];
    List<String> names = dnsNames(leaf);
    for (String n : names) {
      if (matches(n, serverName)) {
        return;
      }
    }
    throw new SSLPeerUnverifiedException("certificate is valid for " + names + ", not "
        + serverName);
  };

  static List<String> dnsNames(X509Certificate cert) throws SSLPeerUnverifiedException {
    try {
      X509CertificateHolder holder = new X509CertificateHolder(cert.getEncoded());
      Extension ext = holder.getExtension(Extension.subjectAlternativeName);
      List<String> out = new ArrayList<>();
      if (ext != null) {
        for (GeneralName n : GeneralNames.getInstance(ext.getParsedValue()).getNames()) {
          if (n.getTagNo() == GeneralName.dNSName) {
            out.add(n.getName().toString());
          }
        }
      }
      return out;
    } catch (java.io.IOException | java.security.cert.CertificateEncodingException e) {
      throw new SSLPeerUnverifiedException("unreadable certificate: " + e.getMessage());
    }
  }

  static boolean matches(String pattern, String host) {
    String p = pattern.toLowerCase(Locale.ROOT);
    String h = host.toLowerCase(Locale.ROOT);
    if (p.endsWith(".")) {
      p = p.substring(0, p.length() - 1);
    }
    if (h.endsWith(".")) {
      h = h.substring(0, h.length() - 1);
    }
    String[] pl = p.split("\\.", -1);
    String[] hl = h.split("\\.", -1);
    if (pl.length != hl.length || h.isEmpty()) {
      return false;
    }
    for (int i = 0; i < pl.length; i++) {
      if (i == 0 && pl[i].equals("*")) {
        continue;
      }
      if (!pl[i].equals(hl[i])) {
        return false;
      }
    }
    return true;
  }
}
