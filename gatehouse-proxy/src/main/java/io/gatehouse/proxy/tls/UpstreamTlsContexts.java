package io.gatehouse.proxy.tls;

import io.gatehouse.model.UpstreamTls;
import io.netty.handler.ssl.SslProvider;
import java.security.GeneralSecurityException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Caches {@link UpstreamTlsContext}s by their settings, so that a configuration reload that keeps a
 * cluster's TLS settings keeps its context, and with it the pooled connections (pools key TLS
 * connections by context). Bounded: past {@value #MAX} entries the cache starts over. Thread-safe.
 */
public final class UpstreamTlsContexts {
  private static final int MAX = 256;
  private static final Map<UpstreamTls, UpstreamTlsContext> CACHE = new ConcurrentHashMap<>();

  private UpstreamTlsContexts() {
  }

  /** The context of {@code tls}, built on first use with the detected provider. */
  public static UpstreamTlsContext of(UpstreamTls tls) throws GeneralSecurityException {
    UpstreamTlsContext cached = CACHE.get(tls);
    if (cached != null) {
      return cached;
    }
    SslProvider provider = ServerTlsContexts.detectProvider();
    UpstreamTlsContext built = UpstreamTlsContext.of(tls, provider);
    if (CACHE.size() >= MAX) {
      CACHE.clear();
    }
    UpstreamTlsContext raced = CACHE.putIfAbsent(tls, built);
    return raced != null ? raced : built;
  }
}
