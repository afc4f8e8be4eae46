package io.gatehouse.proxy.tls;

import io.gatehouse.model.ClientValidation;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trust manager an HTTPS listener checks client certificates with ({@link ClientValidation}):
 * the JDK's PKIX validation against the listener's CA certificates only (no system roots). With
 * {@code allowInsecureFallback} a certificate that fails validation is logged at debug and let
 * through (the listener then asks for a certificate without requiring one), as Gateway API's
 * {@code AllowInsecureFallback} mode says; otherwise the failure fails the handshake.
 */
final class ClientCertificateTrust {
  private static final Logger log = LoggerFactory.getLogger(ClientCertificateTrust.class);

  private ClientCertificateTrust() {
  }

  static TrustManager of(ClientValidation v) throws GeneralSecurityException {
    List<X509Certificate> cas = KeyMaterial.certificates(v.caCertificatesPem());
    KeyStore store = KeyStore.getInstance("PKCS12");
    try {
      store.load(null, null);
    } catch (java.io.IOException e) {
      throw new GeneralSecurityException(e);
    }
    for (int i = 0; i < cas.size(); i++) {
      store.setCertificateEntry("ca-" + i, cas.get(i));
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
    tmf.init(store);
    for (TrustManager tm : tmf.getTrustManagers()) {
      if (tm instanceof X509ExtendedTrustManager x) {
        return v.allowInsecureFallback() ? new Fallback(x, v.source()) : x;
      }
    }
    throw new GeneralSecurityException("no X.509 trust manager");
  }

  /** Validates as {@code delegate}, but a failure on the client side only gets logged. */
  private static final class Fallback extends X509ExtendedTrustManager {
    private final X509ExtendedTrustManager delegate;
    private final String source;

    Fallback(X509ExtendedTrustManager delegate, String source) {
      this.delegate = delegate;
      this.source = source;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
      try {
        delegate.checkClientTrusted(chain, authType, socket);
      } catch (CertificateException e) {
        insecure(chain, e);
      }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
      try {
        delegate.checkClientTrusted(chain, authType, engine);
      } catch (CertificateException e) {
        insecure(chain, e);
      }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {
      try {
        delegate.checkClientTrusted(chain, authType);
      } catch (CertificateException e) {
        insecure(chain, e);
      }
    }

    private void insecure(X509Certificate[] chain, CertificateException e) {
      log.debug("Client certificate {} not valid for {} (AllowInsecureFallback): {}",
          chain.length == 0 ? "(none)" : chain[0].getSubjectX500Principal(), source,
          e.getMessage());
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      delegate.checkServerTrusted(chain, authType, socket);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      delegate.checkServerTrusted(chain, authType, engine);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      delegate.checkServerTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return ((X509TrustManager) delegate).getAcceptedIssuers();
    }
  }
}
