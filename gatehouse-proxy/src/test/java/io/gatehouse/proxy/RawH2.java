package io.gatehouse.proxy;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * HTTP/2 frames written and read by hand on a socket, for what a well-behaved client library will
 * not send: header blocks in a chosen order or with forbidden fields (HPACK literals without
 * indexing, no Huffman), more streams than the server allows, no SETTINGS acknowledgement.
 */
public final class RawH2 implements AutoCloseable {
  public static final int DATA = 0;
  public static final int HEADERS = 1;
  public static final int PRIORITY = 2;
  public static final int RST_STREAM = 3;
  public static final int SETTINGS = 4;
  public static final int GOAWAY = 7;
  public static final int WINDOW_UPDATE = 8;
  public static final int END_STREAM = 0x1;
  public static final int END_HEADERS = 0x4;

  public record Frame(int type, int flags, int stream, byte[] payload) {
    /** The 32-bit big-endian value at {@code offset} of the payload (error codes, increments). */
    public long u32(int offset) {
      return ((payload[offset] & 0xffL) << 24) | ((payload[offset + 1] & 0xff) << 16)
          | ((payload[offset + 2] & 0xff) << 8) | (payload[offset + 3] & 0xff);
    }
  }

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;

  /** Connects and sends the client preface and an empty SETTINGS frame. */
  public RawH2(String host, int port) throws IOException {
    this(host, port, 0);
  }

  /**
   * As {@link #RawH2(String, int)} with a socket receive buffer of {@code receiveBuffer} bytes (0:
   * the system's), set before connecting so the TCP window stays that small: a client that does not
   * read then really stops the server's writes.
   */
  public RawH2(String host, int port, int receiveBuffer) throws IOException {
    this(null, host, port, receiveBuffer);
  }

  /**
   * As {@link #RawH2(String, int, int)}, connecting from the local address {@code source} (e.g.
   * 127.0.0.2, so that tests can play several clients), or any when null.
   */
  public RawH2(String source, String host, int port, int receiveBuffer) throws IOException {
    socket = new Socket();
    if (receiveBuffer > 0) {
      socket.setReceiveBufferSize(receiveBuffer);
    }
    if (source != null) {
      socket.bind(new InetSocketAddress(source, 0));
    }
    socket.connect(new InetSocketAddress(host, port), 5000);
    socket.setSoTimeout(10_000);
    in = new DataInputStream(socket.getInputStream());
    out = socket.getOutputStream();
    out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    frame(SETTINGS, 0, 0, new byte[0]);
  }

  /** Bytes already framed (e.g. by Netty's frame writer), as they are. */
  public void write(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  public void frame(int type, int flags, int stream, byte[] payload) throws IOException {
    byte[] h = {(byte) (payload.length >>> 16), (byte) (payload.length >>> 8),
        (byte) payload.length, (byte) type, (byte) flags, (byte) (stream >>> 24),
        (byte) (stream >>> 16), (byte) (stream >>> 8), (byte) stream};
    out.write(h);
    out.write(payload);
    out.flush();
  }

  /** A HEADERS frame (END_HEADERS) with the given name/value pairs, in exactly this order. */
  public void headers(int stream, boolean endStream, String... pairs) throws IOException {
    ByteArrayOutputStream block = new ByteArrayOutputStream();
    for (int i = 0; i + 1 < pairs.length; i += 2) {
      block.write(0x00); // literal header field without indexing, new name
      string(block, pairs[i]);
      string(block, pairs[i + 1]);
    }
    frame(HEADERS, END_HEADERS | (endStream ? END_STREAM : 0), stream, block.toByteArray());
  }

  /** RFC 7541 §5.2 string literal, not Huffman-coded, with its §5.1 length prefix (7 bits). */
  private static void string(ByteArrayOutputStream block, String s) {
    byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
    int n = b.length;
    if (n < 127) {
      block.write(n);
    } else {
      block.write(127);
      for (n -= 127; n >= 128; n >>>= 7) {
        block.write((n & 0x7f) | 0x80);
      }
      block.write(n);
    }
    block.writeBytes(b);
  }

  public Frame read() throws IOException {
    int len = in.readUnsignedByte() << 16 | in.readUnsignedByte() << 8 | in.readUnsignedByte();
    int type = in.readUnsignedByte();
    int flags = in.readUnsignedByte();
    int stream = in.readInt() & 0x7fffffff;
    byte[] payload = new byte[len];
    in.readFully(payload);
    return new Frame(type, flags, stream, payload);
  }

  /** Reads until a frame of {@code type} arrives (on any stream), skipping the others. */
  public Frame readUntil(int type) throws IOException {
    for (Frame f = read();; f = read()) {
      if (f.type() == type) {
        return f;
      }
    }
  }

  /** Whether the peer closed the connection (reading and dropping frames until then). */
  public boolean closedByPeer() {
    try {
      while (true) {
        read();
      }
    } catch (java.io.EOFException | java.net.SocketException e) {
      return true;
    } catch (IOException e) {
      return false; // timed out
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
