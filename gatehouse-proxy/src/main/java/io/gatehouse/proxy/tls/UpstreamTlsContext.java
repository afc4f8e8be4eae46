package io.gatehouse.proxy.tls;

import io.gatehouse.model.UpstreamTls;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The client TLS settings of one upstream cluster (BackendTLSPolicy): a Netty client
 * {@link SslContext} with TLS 1.2 and 1.3, the cluster's trust anchors and name check
 * ({@link BackendTrustManager}), and the Gateway's client certificate when configured, plus the SNI
 * to send. Connections for HTTP/1.1 offer no ALPN; those for HTTP/2 ({@link #newH2Handler}) offer
 * {@code h2} only. Immutable and shared by every connection of the cluster; build it off the event
 * loops (parsing keys is slow).
 */
public final class UpstreamTlsContext {
  private final UpstreamTls settings;
  private final SslContext context;
  private final SslContext h2Context;

  private UpstreamTlsContext(UpstreamTls settings, SslContext context, SslContext h2Context) {
    this.settings = settings;
    this.context = context;
    this.h2Context = h2Context;
  }

  /**
   * Builds the context of {@code tls}.
   *
   * @throws GeneralSecurityException when a CA, the client certificate or its key cannot be used,
   * or {@code tls} trusts nothing; the message never contains key material
   */
  public static UpstreamTlsContext of(UpstreamTls tls, SslProvider provider)
      throws GeneralSecurityException {
    if (tls.trustsNothing()) {
      throw new GeneralSecurityException("no trust anchor is configured");
    }
    SslContextBuilder builder = SslContextBuilder.forClient()
        .sslProvider(provider)
        .protocols("TLSv1.3", "TLSv1.2")
        // Names are checked by BackendTrustManager, the same way on every provider.
        .endpointIdentificationAlgorithm(null)
        .trustManager(new BackendTrustManager(pkix(tls), new BackendNames(tls)));
    UpstreamTls.ClientCertificate client = tls.clientCertificate();
    if (client != null) {
      KeyMaterial km = KeyMaterial.parse(client.certificateChainPem(),
          client.privateKeyPem().reveal());
      builder.keyManager(km.key(), km.chain().toArray(new X509Certificate[0]));
    }
    try {
      SslContext http1 = builder.build();
      SslContext h2 = builder.applicationProtocolConfig(new ApplicationProtocolConfig(
          ApplicationProtocolConfig.Protocol.ALPN,
          ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
          ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
          ApplicationProtocolNames.HTTP_2)).build();
      return new UpstreamTlsContext(tls, http1, h2);
    } catch (SSLException e) {
      throw new GeneralSecurityException("cannot build the upstream TLS context: "
          + e.getMessage(), e);
    }
  }

  private static X509TrustManager pkix(UpstreamTls tls) throws GeneralSecurityException {
    TrustManagerFactory factory = TrustManagerFactory.getInstance(
        TrustManagerFactory.getDefaultAlgorithm());
    if (tls.systemTrust()) {
      factory.init((KeyStore) null);
    } else {
      KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
      try {
        anchors.load(null, null);
      } catch (java.io.IOException e) {
        throw new GeneralSecurityException(e);
      }
      List<X509Certificate> cas = new ArrayList<>();
      for (String pem : tls.caCertificatesPem()) {
        cas.addAll(KeyMaterial.certificates(pem));
      }
      for (int i = 0; i < cas.size(); i++) {
        anchors.setCertificateEntry("ca-" + i, cas.get(i));
      }
      factory.init(anchors);
    }
    for (TrustManager tm : factory.getTrustManagers()) {
      if (tm instanceof X509TrustManager x509) {
        return x509;
      }
    }
    throw new GeneralSecurityException("no X.509 trust manager available");
  }

  public UpstreamTls settings() {
    return settings;
  }

  /** A handler for a new connection to {@code endpoint}: SNI is the policy hostname. */
  public SslHandler newHandler(ByteBufAllocator alloc, InetSocketAddress endpoint) {
    return context.newHandler(alloc, settings.serverName(), endpoint.getPort());
  }

  /**
   * As {@link #newHandler} for an HTTP/2 connection: ALPN offers {@code h2} only; the caller checks
   * that the backend selected it.
   */
  public SslHandler newH2Handler(ByteBufAllocator alloc, InetSocketAddress endpoint) {
    return h2Context.newHandler(alloc, settings.serverName(), endpoint.getPort());
  }
}
