package io.gatehouse.proxy.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * The HTTP/1.1 side of a WebSocket opening handshake (RFC 6455 §4) as the proxy sees it: which
 * requests it relays as an upgrade, and which answers switch the connection to a tunnel. Only the
 * {@code websocket} token is ever forwarded: any other upgrade ({@code h2c} in particular, RFC 9113
 * §3.1 smuggling) is removed with the other hop-by-hop headers.
 */
final class WebSocketUpgrade {
  /** RFC 6455 §4.1: the only version in use. */
  private static final String VERSION = "13";
  private static final int KEY_BYTES = 16;

  private WebSocketUpgrade() {
  }

  /**
   * Whether {@code req} is a well-formed client handshake (RFC 6455 §4.1, §4.2.1): an HTTP/1.1 GET
   * without a body whose {@code Connection} has the token {@code upgrade}, whose {@code Upgrade}
   * has the token {@code websocket}, with a {@code Sec-WebSocket-Key} of 16 base64-encoded bytes
   * and {@code Sec-WebSocket-Version: 13}. Anything else is forwarded as a plain request, its
   * upgrade headers removed, and the backend answers it as such.
   */
  static boolean isHandshake(HttpRequest req) {
    HttpHeaders h = req.headers();
    return req.method().equals(HttpMethod.GET)
        && req.protocolVersion().equals(HttpVersion.HTTP_1_1)
        && hasToken(h, HttpHeaderNames.CONNECTION, "upgrade")
        && hasToken(h, HttpHeaderNames.UPGRADE, "websocket")
        && h.getAll(HttpHeaderNames.SEC_WEBSOCKET_VERSION).equals(List.of(VERSION))
        && isKey(h.getAll(HttpHeaderNames.SEC_WEBSOCKET_KEY))
        && !h.contains(HttpHeaderNames.TRANSFER_ENCODING)
        && h.getInt(HttpHeaderNames.CONTENT_LENGTH, 0) == 0;
  }

  /**
   * Whether {@code res}, the answer to a forwarded handshake, accepts it: 101 with
   * {@code Upgrade: websocket}, {@code Connection: upgrade} and a {@code Sec-WebSocket-Accept}
   * (whose value the client checks, RFC 6455 §4.2.2).
   */
  static boolean isAccepted(HttpResponse res) {
    HttpHeaders h = res.headers();
    return res.status().code() == 101 && hasToken(h, HttpHeaderNames.CONNECTION, "upgrade")
        && hasToken(h, HttpHeaderNames.UPGRADE, "websocket")
        && h.contains(HttpHeaderNames.SEC_WEBSOCKET_ACCEPT);
  }

  /**
   * Puts the upgrade back on a message whose hop-by-hop headers were just removed:
   * {@code Connection: Upgrade} and {@code Upgrade: websocket}, nothing else.
   */
  static void restore(HttpHeaders headers) {
    headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
    headers.set(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET);
  }

  private static boolean isKey(List<String> values) {
    if (values.size() != 1) {
      return false;
    }
    try {
      return Base64.getDecoder().decode(values.get(0).trim()).length == KEY_BYTES;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** Whether a comma-separated header (all its lines) has {@code token}, ignoring case. */
  private static boolean hasToken(HttpHeaders headers, CharSequence name, String token) {
    for (String value : headers.getAll(name)) {
      for (String t : value.split(",")) {
        if (t.trim().toLowerCase(Locale.ROOT).equals(token)) {
          return true;
        }
      }
    }
    return false;
  }
}
