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
      if (tm instanceof X509TrustManager x) {
        return new Checker(x, v.allowInsecureFallback(), v.source());
      }
    }
    throw new GeneralSecurityException("no X.509 trust manager");
  }

  /**
   * Validates client chains with the PKIX trust manager's plain check for every variant, so that
   * BoringSSL and JDK TLS check exactly the same (the engine variant would also consult the
   * engine's handshake session, which the two providers fill differently). A server-side trust
   * manager only: it trusts no server.
   */
  private static final class Checker extends X509ExtendedTrustManager {
    private final X509TrustManager pkix;
    private final boolean insecureFallback;
    private final String source;

    Checker(X509TrustManager pkix, boolean insecureFallback, String source) {
      this.pkix = pkix;
      this.insecureFallback = insecureFallback;
      this.source = source;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      try {
        if (chain == null || chain.length == 0) {
          throw new CertificateException("the client sent no certificate");
        }
        pkix.checkClientTrusted(chain, authType);
      } catch (CertificateException | RuntimeException e) {
        if (!insecureFallback) {
          log.debug("Client certificate {} refused for {}: {}",
              chain == null || chain.length == 0 ? "(none)" : chain[0].getSubjectX500Principal(),
              source, e.toString());
          throw e instanceof CertificateException c ? c : new CertificateException(e);
        }
        log.debug("Client certificate {} not valid for {} (AllowInsecureFallback): {}",
            chain == null || chain.length == 0 ? "(none)" : chain[0].getSubjectX500Principal(),
            source, e.getMessage());
      }
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
    public void checkServerTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      throw new CertificateException("a listener's trust manager verifies clients only");
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
    public X509Certificate[] getAcceptedIssuers() {
      return pkix.getAcceptedIssuers();
    }
  }
}
