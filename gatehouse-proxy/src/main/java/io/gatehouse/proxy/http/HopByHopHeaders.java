package io.gatehouse.proxy.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Removes the hop-by-hop headers of RFC 9110 §7.6.1 from a message about to be forwarded: {@code
 * Connection} and the headers it names, {@code Keep-Alive}, {@code Proxy-Connection}, {@code TE},
 * {@code Trailer} and {@code Upgrade} (a WebSocket handshake gets its upgrade back afterwards from
 * {@link WebSocketUpgrade}; no other upgrade is ever relayed), and {@code HTTP2-Settings} whether
 * or not {@code Connection} names it: an {@code Upgrade: h2c} request is served as HTTP/1.1 and its
 * upgrade must never reach the upstream (h2c upgrade smuggling). {@code Transfer-Encoding} stays:
 * it describes the framing that the HTTP codecs re-encode on the next hop.
 */
final class HopByHopHeaders {
  /** Never removed because {@code Connection} names them: they carry framing or routing. */
  private static final Set<String> PROTECTED = Set.of("transfer-encoding", "content-length",
      "host");

  /** RFC 7540 §3.2.1 (the h2c upgrade, removed from RFC 9113). */
  private static final String HTTP2_SETTINGS = "http2-settings";

  private HopByHopHeaders() {
  }

  static void strip(HttpHeaders headers) {
    if (!hasHopByHop(headers)) {
      return; // the usual case: one look at each name instead of seven hashed removals
    }
    List<String> connection = headers.contains(HttpHeaderNames.CONNECTION)
        ? headers.getAll(HttpHeaderNames.CONNECTION)
        : List.of();
    for (String value : connection) {
      for (String token : value.split(",")) {
        String name = token.trim().toLowerCase(Locale.ROOT);
        if (!name.isEmpty() && !PROTECTED.contains(name)) {
          headers.remove(name);
        }
      }
    }
    headers.remove(HttpHeaderNames.CONNECTION);
    headers.remove(HttpHeaderNames.KEEP_ALIVE);
    headers.remove(HttpHeaderNames.PROXY_CONNECTION);
    headers.remove(HttpHeaderNames.TE);
    headers.remove(HttpHeaderNames.TRAILER);
    headers.remove(HttpHeaderNames.UPGRADE);
    headers.remove(HTTP2_SETTINGS);
  }

  /** Whether any field name is one that {@link #strip} removes whatever its value. */
  private static boolean hasHopByHop(HttpHeaders headers) {
    for (var it = headers.iteratorCharSequence(); it.hasNext();) {
      if (isHopByHop(it.next().getKey())) {
        return true;
      }
    }
    return false;
  }

  private static boolean isHopByHop(CharSequence name) {
    return switch (name.length()) {
      case 2 -> AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.TE);
      case 7 -> AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.TRAILER)
          || AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.UPGRADE);
      case 10 -> AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.CONNECTION)
          || AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.KEEP_ALIVE);
      case 14 -> AsciiString.contentEqualsIgnoreCase(name, HTTP2_SETTINGS);
      case 16 -> AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.PROXY_CONNECTION);
      default -> false;
    };
  }
}
