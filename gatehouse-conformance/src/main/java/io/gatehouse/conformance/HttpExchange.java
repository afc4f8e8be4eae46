package io.gatehouse.conformance;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * One HTTP/1.1 request on a fresh connection, as Go's client sends it in the suite (HARNESS.md §7):
 * the request target verbatim, {@code Host} as given, {@code User-Agent: Go-http-client/1.1},
 * {@code Accept-Encoding: gzip} (and transparent gunzip), {@code Connection: close}. Raw sockets
 * rather than {@code java.net.http}, so that {@code Host} and the target are sent exactly.
 */
final class HttpExchange {
  /** TLS settings of an HTTPS exchange. */
  record Tls(SSLContext context, String serverName, TlsTrust.HostnameCheck hostnameCheck) {
  }

  /** A response: status, header fields by lower-case name (values in order), body. */
  record Response(int status, String protocol, Map<String, List<String>> headers, byte[] body) {
    List<String> header(String name) {
      return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
    }

    String bodyText() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  private HttpExchange() {
  }

  static Response send(InetSocketAddress target, Tls tls, String method, String requestTarget,
      String host, List<Map.Entry<String, String>> headers, Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    try (Socket socket = connect(target, tls, timeout)) {
      StringBuilder req = new StringBuilder();
      req.append(method).append(' ').append(requestTarget).append(" HTTP/1.1\r\n");
      req.append("Host: ").append(host).append("\r\n");
      req.append("User-Agent: Go-http-client/1.1\r\n");
      for (Map.Entry<String, String> h : headers) {
        req.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
      }
      req.append("Accept-Encoding: gzip\r\nConnection: close\r\n\r\n");
      OutputStream out = socket.getOutputStream();
      out.write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = new BufferedInputStream(socket.getInputStream());
      return read(in, method, socket, deadline);
    }
  }

  private static Socket connect(InetSocketAddress target, Tls tls, Duration timeout)
      throws IOException {
    Socket plain = new Socket();
    try {
      plain.connect(target, (int) timeout.toMillis());
      plain.setSoTimeout((int) timeout.toMillis());
      if (tls == null) {
        return plain;
      }
      SSLSocket s = (SSLSocket) tls.context().getSocketFactory().createSocket(plain,
          target.getHostString(), target.getPort(), true);
      SSLParameters params = s.getSSLParameters();
      params.setServerNames(List.of(new SNIHostName(tls.serverName())));
      s.setSSLParameters(params);
      s.startHandshake();
      tls.hostnameCheck().verify(s.getSession(), tls.serverName());
      return s;
    } catch (IOException | RuntimeException e) {
      plain.close();
      throw e;
    }
  }

  private static Response read(InputStream in, String method, Socket socket, long deadline)
      throws IOException {
    String statusLine = line(in);
    while (true) {
      String[] parts = statusLine.split(" ", 3);
      if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
        throw new IOException("malformed status line: " + statusLine);
      }
      int status = Integer.parseInt(parts[1]);
      Map<String, List<String>> headers = new LinkedHashMap<>();
      for (String h = line(in); !h.isEmpty(); h = line(in)) {
        int colon = h.indexOf(':');
        if (colon > 0) {
          headers.computeIfAbsent(h.substring(0, colon).trim().toLowerCase(Locale.ROOT),
              k -> new ArrayList<>()).add(h.substring(colon + 1).trim());
        }
      }
      if (status >= 100 && status < 200) {
        statusLine = line(in); // interim response: the real one follows
        continue;
      }
      byte[] body = body(in, method, status, headers);
      return gunzip(new Response(status, parts[0], headers, body));
    }
  }

  /** Go's transport decompresses a gzip body it asked for, and drops the header. */
  static Response gunzip(Response r) throws IOException {
    if (!r.header("content-encoding").contains("gzip")) {
      return r;
    }
    Map<String, List<String>> headers = new LinkedHashMap<>(r.headers());
    headers.remove("content-encoding");
    headers.remove("content-length");
    byte[] body = new GZIPInputStream(new java.io.ByteArrayInputStream(r.body())).readAllBytes();
    return new Response(r.status(), r.protocol(), headers, body);
  }

  private static byte[] body(InputStream in, String method, int status,
      Map<String, List<String>> headers) throws IOException {
    if (method.equals("HEAD") || status == 204 || status == 304) {
      return new byte[0];
    }
    List<String> te = headers.getOrDefault("transfer-encoding", List.of());
    if (te.stream().anyMatch(v -> v.toLowerCase(Locale.ROOT).contains("chunked"))) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      while (true) {
        String size = line(in);
        int semi = size.indexOf(';');
        int n = Integer.parseInt((semi >= 0 ? size.substring(0, semi) : size).trim(), 16);
        if (n == 0) {
          for (String t = line(in); !t.isEmpty(); t = line(in)) {
            // trailers ignored
          }
          return out.toByteArray();
        }
        out.write(in.readNBytes(n));
        line(in);
      }
    }
    List<String> cl = headers.getOrDefault("content-length", List.of());
    if (!cl.isEmpty()) {
      return in.readNBytes(Integer.parseInt(cl.get(0)));
    }
    return in.readAllBytes();
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) != -1) {
      if (c == '\n') {
        break;
      }
      if (c != '\r') {
        b.write(c);
      }
      if (b.size() > 65536) {
        throw new IOException("line too long");
      }
    }
    if (c == -1 && b.size() == 0) {
      throw new IOException("connection closed before a complete response");
    }
    return b.toString(StandardCharsets.ISO_8859_1);
  }
}
