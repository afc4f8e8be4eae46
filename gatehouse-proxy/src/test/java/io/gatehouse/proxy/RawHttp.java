package io.gatehouse.proxy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A bare HTTP/1.1 client on one socket, for tests that need control over the connection
 * (keep-alive, drain): writes raw requests and reads Content-Length or chunked responses.
 */
final class RawHttp implements AutoCloseable {
  record Response(int status, Map<String, String> headers, String body) {
  }

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  RawHttp(String host, int port) throws IOException {
    this(connect(host, port));
  }

  /** Over a connected socket, e.g. an {@code SSLSocket} after its handshake; closes it. */
  RawHttp(Socket connected) throws IOException {
    socket = connected;
    socket.setSoTimeout(10_000);
    in = socket.getInputStream();
    out = socket.getOutputStream();
  }

  private static Socket connect(String host, int port) throws IOException {
    Socket s = new Socket();
    s.connect(new InetSocketAddress(host, port), 5000);
    return s;
  }

  Response get(String host, String path) throws IOException {
    return exchange("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n");
  }

  Response exchange(String rawRequest) throws IOException {
    send(rawRequest);
    return read();
  }

  void send(String raw) throws IOException {
    out.write(raw.getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  /** Reads one response; a body without Content-Length or chunking is read to the close. */
  Response read() throws IOException {
    Response head = readHead();
    Map<String, String> headers = head.headers();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    if (headers.containsKey("content-length")) {
      body.write(in.readNBytes(Integer.parseInt(headers.get("content-length"))));
    } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      for (int n = Integer.parseInt(line(), 16); n > 0; n = Integer.parseInt(line(), 16)) {
        body.write(in.readNBytes(n));
        line();
      }
      line();
    } else if (head.status() >= 200 && "close".equals(headers.get("connection"))) {
      body.write(in.readAllBytes());
    }
    return new Response(head.status(), headers, body.toString(StandardCharsets.UTF_8));
  }

  /** Reads a status line and headers only (the answer to HEAD). */
  Response readHead() throws IOException {
    String status = line();
    Map<String, String> headers = new TreeMap<>();
    for (String l = line(); !l.isEmpty(); l = line()) {
      int colon = l.indexOf(':');
      headers.put(l.substring(0, colon).trim().toLowerCase(Locale.ROOT),
          l.substring(colon + 1).trim());
    }
    return new Response(Integer.parseInt(status.split(" ")[1]), headers, "");
  }

  /** Reads and drops whatever arrives; whether the peer then closed within the socket timeout. */
  boolean closedByPeerAfterDraining() throws IOException {
    try {
      in.readAllBytes();
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true; // reset
    }
  }

  /** Whether the peer closed the connection within the socket timeout. */
  boolean closedByPeer() throws IOException {
    try {
      return in.read() == -1;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true; // reset
    }
  }

  private String line() throws IOException {
    StringBuilder sb = new StringBuilder();
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c == -1) {
        throw new IOException("connection closed after: " + sb);
      }
      if (c != '\r') {
        sb.append((char) c);
      }
    }
    return sb.toString();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
