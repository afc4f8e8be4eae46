package io.gatehouse.bench;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A blocking h2c (prior knowledge) connection that writes HTTP/2 frames by hand, for
 * {@link RapidResetLatency}: GET requests whose header blocks are HPACK literals without indexing
 * (so the client keeps no HPACK state), responses recognised by END_STREAM without decoding their
 * headers, SETTINGS acknowledged and the connection window returned as DATA arrives. Not
 * thread-safe: one thread per connection.
 */
final class H2cWire implements AutoCloseable {
  private static final int DATA = 0;
  private static final int HEADERS = 1;
  private static final int RST_STREAM = 3;
  private static final int SETTINGS = 4;
  private static final int GOAWAY = 7;
  private static final int WINDOW_UPDATE = 8;
  private static final int END_STREAM = 0x1;
  private static final int ACK = 0x1;
  private static final int END_HEADERS = 0x4;
  private static final int CANCEL = 0x8;

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;
  private final ByteArrayOutputStream batch = new ByteArrayOutputStream();
  private int nextStream = 1;
  private int unacknowledgedData;

  H2cWire(int port) throws IOException {
    this(null, port);
  }

  /** @param source the local address to connect from (a 127.0.0.x), null for any */
  H2cWire(String source, int port) throws IOException {
    socket = new Socket();
    socket.setTcpNoDelay(true);
    if (source != null) {
      socket.bind(new InetSocketAddress(source, 0));
    }
    socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
    socket.setSoTimeout(5000);
    in = new DataInputStream(socket.getInputStream());
    out = socket.getOutputStream();
    batch.writeBytes("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    frame(SETTINGS, 0, 0, new byte[0]);
    flush();
  }

  /** Sends {@code GET path} and blocks until its response ended; false if the stream was reset. */
  boolean get(String path) throws IOException {
    int stream = nextStream;
    nextStream += 2;
    frame(HEADERS, END_HEADERS | END_STREAM, stream, getBlock(path));
    flush();
    while (true) {
      int len = in.readUnsignedByte() << 16 | in.readUnsignedByte() << 8 | in.readUnsignedByte();
      int type = in.readUnsignedByte();
      int flags = in.readUnsignedByte();
      int id = in.readInt() & 0x7fffffff;
      in.skipNBytes(len);
      if (type == SETTINGS && (flags & ACK) == 0) {
        frame(SETTINGS, ACK, 0, new byte[0]);
        flush();
      } else if (type == DATA && len > 0) {
        returnWindow(len);
      } else if (type == GOAWAY) {
        throw new IOException("GOAWAY");
      }
      if (id == stream && type == RST_STREAM) {
        return false;
      }
      if (id == stream && (type == HEADERS || type == DATA) && (flags & END_STREAM) != 0) {
        return true;
      }
    }
  }

  /**
   * The rapid-reset pattern: {@code count} streams each opened with a GET and at once reset
   * (CANCEL), written in one go; never reads. Throws once the server closed the connection.
   */
  void openAndReset(String path, int count) throws IOException {
    for (int i = 0; i < count; i++, nextStream += 2) {
      frame(HEADERS, END_HEADERS | END_STREAM, nextStream, getBlock(path));
      frame(RST_STREAM, 0, nextStream, new byte[]{0, 0, 0, CANCEL});
    }
    flush();
  }

  private void returnWindow(int len) throws IOException {
    unacknowledgedData += len;
    if (unacknowledgedData >= 16 << 10) {
      int n = unacknowledgedData;
      unacknowledgedData = 0;
      frame(WINDOW_UPDATE, 0, 0,
          new byte[]{(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n});
      flush();
    }
  }

  private static byte[] getBlock(String path) {
    ByteArrayOutputStream block = new ByteArrayOutputStream();
    String[] fields = {":method", "GET", ":scheme", "http", ":path", path, ":authority",
        "bench.test"};
    for (int i = 0; i < fields.length; i += 2) {
      block.write(0x00); // literal without indexing, new name; every string shorter than 127
      for (String s : new String[]{fields[i], fields[i + 1]}) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        block.write(b.length);
        block.writeBytes(b);
      }
    }
    return block.toByteArray();
  }

  private void frame(int type, int flags, int stream, byte[] payload) {
    batch.writeBytes(new byte[]{(byte) (payload.length >>> 16), (byte) (payload.length >>> 8),
        (byte) payload.length, (byte) type, (byte) flags, (byte) (stream >>> 24),
        (byte) (stream >>> 16), (byte) (stream >>> 8), (byte) stream});
    batch.writeBytes(payload);
  }

  private void flush() throws IOException {
    batch.writeTo(out);
    batch.reset();
    out.flush();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
