package io.gatehouse.testing;

import static java.util.Objects.requireNonNull;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * A request as the echo sees it, independent of HTTP/1.x or HTTP/2.
 *
 * @param method request method
 * @param uri request-URI as received: path and query for origin-form
 * @param host {@code Host} header (HTTP/1.x) or {@code :authority} (HTTP/2); empty when absent
 * @param proto {@code HTTP/1.1}, {@code HTTP/1.0} or {@code HTTP/2.0}, as Go's {@code r.Proto}
 * @param headers header fields in arrival order with their names as received; no {@code Host}, no
 * pseudo-headers
 * @param remoteAddress client address in Go's {@code RemoteAddr} form
 * @param tls the connection's TLS details, or null on a cleartext connection
 */
record EchoRequest(String method, String uri, String host, String proto,
    List<Map.Entry<String, String>> headers,
    String remoteAddress, @Nullable EchoTlsInfo tls) {

  EchoRequest {
    requireNonNull(method, "method");
    requireNonNull(uri, "uri");
    requireNonNull(host, "host");
    requireNonNull(proto, "proto");
    headers = List.copyOf(headers);
    requireNonNull(remoteAddress, "remoteAddress");
  }

  /** A request on a cleartext connection. */
  EchoRequest(String method, String uri, String host, String proto,
      List<Map.Entry<String, String>> headers, String remoteAddress) {
    this(method, uri, host, proto, headers, remoteAddress, null);
  }

  /**
   * Header values grouped by Go-canonical name, names sorted as Go's JSON encoder sorts map keys.
   */
  Map<String, List<String>> canonicalHeaders() {
    Map<String, List<String>> out = new TreeMap<>();
    for (Map.Entry<String, String> h : headers) {
      out.computeIfAbsent(GoHeaderNames.canonical(h.getKey()), k -> new ArrayList<>())
          .add(h.getValue());
    }
    return out;
  }

  /** All values of the header with the given Go-canonical name, in arrival order. */
  List<String> headerValues(String canonicalName) {
    return canonicalHeaders().getOrDefault(canonicalName, List.of());
  }

  boolean isHttp2() {
    return proto.equals("HTTP/2.0");
  }

  /** {@code address} as Go's {@code RemoteAddr}: {@code 127.0.0.1:50312} or {@code [::1]:50312}. */
  static String goAddress(SocketAddress address) {
    if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
      String ip = inet.getAddress().getHostAddress();
      int zone = ip.indexOf('%');
      ip = zone < 0 ? ip : ip.substring(0, zone);
      return (ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip) + ":" + inet.getPort();
    }
    return String.valueOf(address);
  }
}
