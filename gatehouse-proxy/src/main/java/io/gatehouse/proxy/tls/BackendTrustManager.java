package io.gatehouse.proxy.tls;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Verifies a backend's certificate: the chain against the configured trust anchors (PKIX), then the
 * leaf's names ({@link BackendNames}). Used instead of the TLS stack's endpoint identification so
 * that BoringSSL and JDK TLS check exactly the same names, and so that {@code subjectAltNames} can
 * replace the SNI hostname as the identity. A client-side trust manager only: it trusts no client.
 */
final class BackendTrustManager extends X509ExtendedTrustManager {
  private final X509TrustManager pkix;
  private final BackendNames names;

  BackendTrustManager(X509TrustManager pkix, BackendNames names) {
    this.pkix = pkix;
    this.names = names;
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    if (chain == null || chain.length == 0) {
      throw new CertificateException("the backend sent no certificate");
    }
    pkix.checkServerTrusted(chain, authType);
    names.check(chain[0]);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    checkServerTrusted(chain, authType);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    checkServerTrusted(chain, authType);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    throw new CertificateException("an upstream trust manager verifies servers only");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    checkClientTrusted(chain, authType);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    checkClientTrusted(chain, authType);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return pkix.getAcceptedIssuers();
  }
}
