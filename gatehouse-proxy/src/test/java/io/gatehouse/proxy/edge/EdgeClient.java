package io.gatehouse.proxy.edge;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A raw-socket HTTP/1.1 client for the edge tests: sends exact bytes, reads responses framed by
 * Content-Length or chunked, and tells whether the server closed.
 */
final class EdgeClient implements AutoCloseable {
  record Response(int status, Map<String, String> headers, String body) {
    boolean closeRequested() {
      return "close".equalsIgnoreCase(headers.get("connection"));
    }
  }

  private final Socket socket;
  private final InputStream in;

  EdgeClient(String host, int port) {
    try {
      socket = new Socket();
      socket.connect(new InetSocketAddress(host, port), 2000);
      socket.setSoTimeout(5000);
      in = socket.getInputStream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  EdgeClient send(byte[] raw) {
    try {
      socket.getOutputStream().write(raw);
      socket.getOutputStream().flush();
    } catch (IOException e) {
      // the server may have refused and closed already; the response (if any) is still readable
    }
    return this;
  }

  EdgeClient send(String raw) {
    return send(raw.getBytes(StandardCharsets.ISO_8859_1));
  }

  /** The next response, or null when the connection ends (or stays silent for 5 s) first. */
  Response read() {
    try {
      String status = line();
      if (status == null) {
        return null;
      }
      Map<String, String> headers = new TreeMap<>();
      for (String l = line(); l != null && !l.isEmpty(); l = line()) {
        int colon = l.indexOf(':');
        headers.put(l.substring(0, colon).toLowerCase(Locale.ROOT), l.substring(colon + 1).strip());
      }
      String body;
      if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int n = Integer.parseInt(line(), 16); n > 0; n = Integer.parseInt(line(), 16)) {
          b.writeBytes(in.readNBytes(n));
          line();
        }
        for (String t = line(); t != null && !t.isEmpty(); t = line()) {
          // trailers
        }
        body = b.toString(StandardCharsets.ISO_8859_1);
      } else {
        int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        body = new String(in.readNBytes(length), StandardCharsets.ISO_8859_1);
      }
      return new Response(Integer.parseInt(status.split(" ")[1]), headers, body);
    } catch (SocketTimeoutException e) {
      return null;
    } catch (IOException e) {
      return null;
    }
  }

  /** True when the server closes the connection within 2 s (nothing more is sent before). */
  boolean closedByServer() {
    try {
      socket.setSoTimeout(2000);
      return in.read() < 0;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true; // reset
    }
  }

  private String line() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (int c = in.read(); c >= 0; c = in.read()) {
      if (c == '\n') {
        String s = b.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
      }
      b.write(c);
    }
    return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // closed
    }
  }
}
