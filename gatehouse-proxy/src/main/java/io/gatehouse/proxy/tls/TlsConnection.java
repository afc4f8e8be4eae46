package io.gatehouse.proxy.tls;

import io.netty.channel.Channel;
import io.netty.handler.ssl.SslContext;
import io.netty.util.AttributeKey;
import java.util.Locale;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * What the TLS handshake of a client connection chose, kept on the connection's channel for the
 * request handlers: the server name the client sent (null when none) and the listener's SNI map.
 *
 * <p>
 * Misdirected requests (Gateway API GEP-3567, RFC 9110 §15.5.20): the listener hostnames of one
 * HTTPS port are the names of its SNI map (exact names, {@code *.} wildcards, {@code *}). The SNI
 * selects one of them, the request's {@code Host} selects one by the same rules; when the host
 * selects a listener and it is not the SNI's, the request was meant for another listener on this
 * port and is answered 421, so that the client opens a new connection with the right SNI (HTTP/2
 * connection coalescing sends such requests). A host that selects no listener at all is left to
 * routing (404 unless a route matches it). The map is read at request time, so a certificate swap
 * applies to open connections too.
 */
public record TlsConnection(@Nullable String serverName,
    Supplier<SniMapping<SslContext>> mapping) {
  public static final AttributeKey<TlsConnection> KEY = AttributeKey.valueOf("gatehouse.tls");

  /** The handshake's record on {@code connection}, or null for cleartext connections. */
  public static @Nullable TlsConnection of(Channel connection) {
    return connection.attr(KEY).get();
  }

  /**
   * Whether a request with {@code host} ({@code Host} header or {@code :authority}, port allowed)
   * names a listener of this port other than the one the SNI selected (also when the SNI's listener
   * is gone since the handshake). A request without host, or with one no listener serves, is not
   * misdirected.
   */
  public boolean misdirected(@Nullable String host) {
    if (host == null) {
      return false;
    }
    SniMapping<SslContext> m = mapping.get();
    String bySni = m.selectedName(serverName);
    String byHost = m.selectedName(hostOnly(host));
    return byHost != null && !byHost.equals(bySni);
  }

  /** {@code host} without its port; an IPv6 literal keeps its brackets; lower case. */
  static String hostOnly(String host) {
    String h = host.trim();
    if (h.startsWith("[")) {
      int close = h.indexOf(']');
      h = close < 0 ? h : h.substring(0, close + 1);
    } else {
      int colon = h.indexOf(':');
      h = colon < 0 ? h : h.substring(0, colon);
    }
    return h.toLowerCase(Locale.ROOT);
  }
}
