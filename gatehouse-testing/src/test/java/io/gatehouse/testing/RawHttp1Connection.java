package io.gatehouse.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A plain socket for byte-exact HTTP/1.1 checks (header case, pipelining, TCP reset). */
final class RawHttp1Connection implements AutoCloseable {

  private static final int TIMEOUT_MILLIS = 10_000;
  private static final int MAX_BYTES = 1 << 20;

  private final Socket socket;

  private RawHttp1Connection(Socket socket) {
    this.socket = socket;
  }

  static RawHttp1Connection open(InetSocketAddress address) throws IOException {
    Socket socket = new Socket();
    socket.connect(address, TIMEOUT_MILLIS);
    socket.setSoTimeout(TIMEOUT_MILLIS);
    return new RawHttp1Connection(socket);
  }

  void write(String request) throws IOException {
    socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
    socket.getOutputStream().flush();
  }

  /** Reads until {@code marker} arrives (bounded by 64 KiB and the 10 s read timeout). */
  String readUntil(String marker) throws IOException {
    InputStream in = socket.getInputStream();
    StringBuilder out = new StringBuilder();
    for (int b; out.length() < 65_536 && out.indexOf(marker) < 0 && (b = in.read()) >= 0;) {
      out.append((char) b);
    }
    return out.toString();
  }

  /** Reads until the server closes (bounded by 1 MiB and the 10 s read timeout). */
  String readAll() throws IOException {
    InputStream in = socket.getInputStream();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] chunk = new byte[8192];
    for (int n; out.size() < MAX_BYTES && (n = in.read(chunk)) >= 0;) {
      out.write(chunk, 0, n);
    }
    return out.toString(StandardCharsets.ISO_8859_1);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
