package io.gatehouse.testing;

import io.netty.util.AttributeKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.jspecify.annotations.Nullable;

/**
 * What a TLS connection's handshake settled, as echo-basic reports it in {@code tls}: the version,
 * the client certificates as PEM (64-column base64, trailing newline), the SNI, the ALPN protocol
 * and the cipher suite.
 */
record EchoTlsInfo(String version, List<String> peerCertificates, String serverName,
    String negotiatedProtocol, String cipherSuite) {
  /** Set on the connection channel once its handshake succeeded. */
  static final AttributeKey<EchoTlsInfo> KEY = AttributeKey.valueOf("gatehouse-echo-tls");
  /** The SNI the client sent, set before the handshake completes. */
  static final AttributeKey<String> SNI = AttributeKey.valueOf("gatehouse-echo-sni");

  EchoTlsInfo {
    peerCertificates = List.copyOf(peerCertificates);
  }

  static EchoTlsInfo of(SSLSession session, @Nullable String sni, @Nullable String alpn) {
    List<String> pems = new ArrayList<>();
    try {
      for (Certificate c : session.getPeerCertificates()) {
        pems.add(pem(c));
      }
    } catch (SSLPeerUnverifiedException e) {
      pems.clear(); // no client certificate
    }
    return new EchoTlsInfo(session.getProtocol(), pems, sni == null ? "" : sni,
        alpn == null ? "" : alpn, session.getCipherSuite());
  }

  private static String pem(Certificate c) {
    try {
      return "-----BEGIN CERTIFICATE-----\n"
          + Base64.getMimeEncoder(64, new byte[]{'\n'}).encodeToString(c.getEncoded())
          + "\n-----END CERTIFICATE-----\n";
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
  }
}
