package io.gatehouse.proxy;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An HTTP/1.1 upstream on plain blocking sockets (no Netty, so none of its memory counts as the
 * proxy's): {@code GET /big?n=N} answers N body bytes written as fast as the proxy takes them,
 * {@code POST} with a Content-Length reads the body 16 KiB every 10 ms (about 1.6 MB/s per
 * connection) and answers 200. It counts the body bytes it wrote and read, so a test sees when the
 * proxy stops reading (its writes block) or how far uploads got. One thread per connection.
 */
final class SlowUpstream implements AutoCloseable {
  private static final int CHUNK = 16 << 10;

  final AtomicLong written = new AtomicLong();
  final AtomicLong read = new AtomicLong();
  private final ServerSocket server;
  private final List<Socket> accepted = new CopyOnWriteArrayList<>();

  SlowUpstream() throws IOException {
    server = new ServerSocket();
    server.setReceiveBufferSize(CHUNK); // inherited by accepted sockets, set before listening
    server.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 64);
    Thread t = new Thread(this::accept, "slow-upstream");
    t.setDaemon(true);
    t.start();
  }

  int port() {
    return server.getLocalPort();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        s.setSendBufferSize(CHUNK); // a small kernel buffer: blocked writes show quickly
        accepted.add(s);
        Thread t = new Thread(() -> serve(s), "slow-upstream-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException closed) {
        return;
      }
    }
  }

  private void serve(Socket s) {
    try (s) {
      InputStream in = new BufferedInputStream(s.getInputStream());
      OutputStream out = s.getOutputStream();
      for (String head = head(in); head != null; head = head(in)) {
        String target = head.substring(head.indexOf(' ') + 1, head.indexOf(" HTTP/"));
        long length = contentLength(head);
        if (target.startsWith("/big")) {
          long n = Long.parseLong(target.substring(target.indexOf("n=") + 2));
          out.write(("HTTP/1.1 200 OK\r\ncontent-length: " + n + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
          byte[] chunk = new byte[CHUNK];
          for (long left = n; left > 0; left -= CHUNK) {
            int k = (int) Math.min(CHUNK, left);
            out.write(chunk, 0, k);
            written.addAndGet(k);
          }
        } else {
          byte[] buf = new byte[CHUNK];
          for (long left = length; left > 0;) {
            int k = in.read(buf, 0, (int) Math.min(CHUNK, left));
            if (k < 0) {
              return;
            }
            left -= k;
            read.addAndGet(k);
            Thread.sleep(10);
          }
          out.write("HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n"
              .getBytes(StandardCharsets.US_ASCII));
        }
        out.flush();
      }
    } catch (IOException | InterruptedException | RuntimeException closed) {
      // the proxy closed the connection
    }
  }

  /** The request head up to its blank line, or null at the end of the stream. */
  private static String head(InputStream in) throws IOException {
    StringBuilder b = new StringBuilder();
    for (int c = in.read(); c >= 0; c = in.read()) {
      b.append((char) c);
      if (b.length() >= 4 && b.lastIndexOf("\r\n\r\n") == b.length() - 4) {
        return b.toString();
      }
    }
    return null;
  }

  private static long contentLength(String head) {
    for (String line : head.split("\r\n")) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
        return Long.parseLong(line.substring(15).trim());
      }
    }
    return 0;
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket s : accepted) {
      s.close();
    }
  }
}
