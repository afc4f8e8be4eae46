package io.gatehouse.proxy.tls;

import io.gatehouse.model.ClientValidation;
import io.gatehouse.model.HttpsListener;
import io.gatehouse.model.SecretValue;
import io.gatehouse.model.ServerCertificate;
import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.DelegatingSslContext;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslSessionContext;
import io.netty.handler.ssl.ReferenceCountedOpenSslEngine;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.netty.internal.tcnative.SSL;
import java.security.GeneralSecurityException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import org.jspecify.annotations.Nullable;

/**
 * Builds the server {@link SslContext}s of HTTPS listeners and their {@link SniMapping}s, caching
 * contexts by certificate chain and key across {@code apply} calls.
 *
 * <p>
 * Every context: the provider chosen at construction, TLS 1.2 and 1.3 only, the modern AEAD cipher
 * list Netty keeps for HTTP/2 ({@code Http2SecurityUtil.CIPHERS}: ECDHE with AES-GCM or
 * ChaCha20-Poly1305, plus the TLS 1.3 suites), ALPN selecting {@code h2} (preferred) or
 * {@code http/1.1} (a client offering neither gets no ALPN answer and is served HTTP/1.1), no
 * client certificates, and session resumption as {@link ServerTlsOptions#sessionResumption} says.
 * Renegotiation is refused for both providers by {@link RenegotiationGuard}.
 *
 * <p>
 * Resumption on: the provider's server session cache (TLS 1.2 session IDs) and session tickets (TLS
 * 1.2 tickets, TLS 1.3 pre-shared keys); with BoringSSL the tickets are sealed with keys that
 * BoringSSL generates and rotates itself, one set per context. Resumption off: BoringSSL's session
 * cache is disabled and tickets are never issued; the JDK's provider issues no tickets when the
 * session timeout is longer than seven days (so the timeout is set just above), and each session is
 * invalidated (removed from the session cache) as soon as its handshake completes.
 *
 * <p>
 * Not thread-safe: used by {@code GatewayProxy.apply}, one call at a time, off the event loops
 * (parsing keys and building contexts is slow). The contexts it returns are immutable and shared by
 * all connections.
 */
public final class ServerTlsContexts {
  /** One second more than the longest session timeout for which the JDK still issues tickets. */
  private static final long JDK_NO_TICKETS_TIMEOUT_SECONDS = 7 * 24 * 3600 + 1;

  private final SslProvider provider;
  private final ServerTlsOptions options;
  private Map<Material, SslContext> cache = new HashMap<>();
  private Map<Material, SslContext> used = new HashMap<>();

  public ServerTlsContexts(SslProvider provider) {
    this(provider, ServerTlsOptions.defaults());
  }

  public ServerTlsContexts(SslProvider provider, ServerTlsOptions options) {
    this.provider = provider;
    this.options = options;
  }

  /** BoringSSL when netty-tcnative loads on this platform, else the JDK's TLS. */
  public static SslProvider detectProvider() {
    return OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
  }

  public SslProvider provider() {
    return provider;
  }

  /**
   * The SNI mapping of one listener. A certificate that cannot be used (bad PEM, unsupported or
   * mismatched key) is left out and reported through {@code failures} (source, reason); the other
   * certificates still serve.
   */
  public SniMapping<SslContext> mappingOf(HttpsListener listener,
      BiConsumer<ServerCertificate, String> failures) {
    return mappingOf(listener.certificates(), listener.clientValidation(), true, failures);
  }

  /**
   * The SNI mapping of a TLS listener in mode Terminate ({@code TLSRoute}): the same certificates
   * and versions, but no ALPN, since the decrypted bytes are relayed as they are rather than spoken
   * to as HTTP.
   */
  public SniMapping<SslContext> mappingOf(List<ServerCertificate> certificates,
      BiConsumer<ServerCertificate, String> failures) {
    return mappingOf(certificates, null, false, failures);
  }

  private SniMapping<SslContext> mappingOf(List<ServerCertificate> certificates,
      @Nullable ClientValidation clients, boolean http,
      BiConsumer<ServerCertificate, String> failures) {
    SniMapping.Builder<SslContext> mapping = new SniMapping.Builder<>();
    for (ServerCertificate c : certificates) {
      SslContext context;
      try {
        context = contextOf(c, clients, http);
      } catch (GeneralSecurityException e) {
        failures.accept(c, e.getMessage());
        continue;
      }
      for (String name : c.serverNames()) {
        mapping.add(name, context);
      }
    }
    return mapping.build();
  }

  /**
   * Forgets the contexts no {@link #mappingOf} call asked for since the previous call of this
   * method; call once at the end of each {@code apply}. Connections still using a forgotten context
   * keep it (the OpenSSL contexts built here are freed by the garbage collector, not by reference
   * counting).
   */
  public void evictUnused() {
    cache = used;
    used = new HashMap<>();
  }

  private SslContext contextOf(ServerCertificate c, @Nullable ClientValidation clients,
      boolean http) throws GeneralSecurityException {
    Material m = new Material(c.certificateChainPem(), c.privateKeyPem(), clients, http);
    SslContext context = used.get(m);
    if (context == null) {
      context = cache.get(m);
    }
    if (context == null) {
      context = build(KeyMaterial.parse(m.chainPem, m.keyPem.reveal()), clients, http);
    }
    used.put(m, context);
    return context;
  }

  private SslContext build(KeyMaterial km, @Nullable ClientValidation clients, boolean http)
      throws GeneralSecurityException {
    try {
      SslContextBuilder b = SslContextBuilder.forServer(km.key(), km.chain()).sslProvider(provider)
          .protocols("TLSv1.3", "TLSv1.2")
          .ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE);
      if (clients == null) {
        b.clientAuth(ClientAuth.NONE);
      } else {
        b.trustManager(ClientCertificateTrust.of(clients))
            .clientAuth(clients.allowInsecureFallback() ? ClientAuth.OPTIONAL : ClientAuth.REQUIRE);
      }
      if (!options.sessionResumption() && provider == SslProvider.JDK) {
        b.sessionTimeout(JDK_NO_TICKETS_TIMEOUT_SECONDS);
      }
      if (!http) {
        return withSessionResumption(b.build());
      }
      return withSessionResumption(b
          .applicationProtocolConfig(new ApplicationProtocolConfig(
              ApplicationProtocolConfig.Protocol.ALPN,
              ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
              ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
              ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1))
          .build());
    } catch (SSLException | RuntimeException e) {
      throw new GeneralSecurityException("TLS context could not be built: " + e.getMessage());
    }
  }

  /**
   * Applies {@link ServerTlsOptions#sessionResumption} to a built context, before any connection
   * uses it. BoringSSL, on: tickets sealed with BoringSSL's own keys (what Netty sets up for server
   * contexts, asked for here so that it does not depend on that default) and the session cache.
   * Off: the session cache disabled, and a wrapper that sets {@code SSL_OP_NO_TICKET} on each
   * connection (in BoringSSL this also stops TLS 1.3 tickets). JDK, off: a wrapper that ends each
   * session's resumability once its handshake completed.
   */
  private SslContext withSessionResumption(SslContext context) {
    boolean resume = options.sessionResumption();
    if (context.sessionContext() instanceof OpenSslSessionContext sessions) {
      if (resume) {
        sessions.setTicketKeys();
      } else {
        sessions.setSessionCacheEnabled(false);
      }
    }
    return resume ? context : new SingleUseSessions(context);
  }

  /** A context whose connections' sessions cannot be resumed. */
  private static final class SingleUseSessions extends DelegatingSslContext {
    SingleUseSessions(SslContext context) {
      super(context);
    }

    @Override
    protected void initEngine(SSLEngine engine) {
      if (engine instanceof ReferenceCountedOpenSslEngine openSsl) {
        SSL.setOptions(openSsl.sslPointer(), SSL.SSL_OP_NO_TICKET);
      }
    }

    @Override
    protected void initHandler(SslHandler handler) {
      SSLEngine engine = handler.engine();
      initEngine(engine);
      if (!(engine instanceof ReferenceCountedOpenSslEngine)) {
        handler.handshakeFuture().addListener(done -> {
          if (done.isSuccess()) {
            engine.getSession().invalidate();
          }
        });
      }
    }
  }

  /** Cache key: what the context is built from (names and sources do not matter). */
  private record Material(String chainPem, SecretValue keyPem,
      @Nullable ClientValidation clients, boolean http) {
  }
}
