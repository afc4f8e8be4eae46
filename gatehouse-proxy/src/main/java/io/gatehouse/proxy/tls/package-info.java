/**
 * TLS termination for HTTPS listeners. Start at {@link io.gatehouse.proxy.tls.ServerTlsContexts}:
 * it turns a listener's certificates into an immutable {@link io.gatehouse.proxy.tls.SniMapping} of
 * Netty {@code SslContext}s (keys read by {@link io.gatehouse.proxy.tls.KeyMaterial}), which
 * {@link io.gatehouse.proxy.tls.SniSelector} consults for every ClientHello.
 *
 * <p>
 * Decisions: BoringSSL (netty-tcnative) when it loads, else the JDK provider; TLS 1.2 and 1.3 only;
 * ALPN offers {@code http/1.1} only until downstream HTTP/2 exists; an SNI that matches no
 * certificate and no default certificate fails the handshake, so no client ever receives a
 * certificate that was not configured for its name. Contexts are cached by certificate and key, so
 * an {@code apply} that does not change them keeps their session caches (resumption).
 */
@NullMarked
package io.gatehouse.proxy.tls;

import org.jspecify.annotations.NullMarked;
