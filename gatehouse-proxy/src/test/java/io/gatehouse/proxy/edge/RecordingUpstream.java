package io.gatehouse.proxy.edge;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.jspecify.annotations.Nullable;

/**
 * A raw-socket HTTP/1.1 backend on 127.0.0.1 that keeps the exact bytes it received on each
 * connection. It splits what it reads into requests by their own framing (Content-Length, chunked,
 * or none) and answers each with the bytes its script returns for the request's number (0-based,
 * over the upstream's lifetime since the last {@link #reset}); by default {@link #OK}, or, for a
 * named upstream, 200 with {@code x-upstream} and the name as the body (none to a HEAD). Bytes that
 * do not form a complete request are kept as the connection's leftover, so a test can assert that
 * the proxy sent exactly the requests it expected and nothing else.
 */
public final class RecordingUpstream implements AutoCloseable {
  /** One request as the upstream framed it: its head (up to CRLFCRLF) and its decoded body. */
  public record Request(String head, byte[] body) {
    public String requestLine() {
      return head.substring(0, head.indexOf("\r\n"));
    }

    /** The first value of a header, case-insensitive, or null. */
    public String header(String name) {
      for (String line : head.split("\r\n")) {
        int colon = line.indexOf(':');
        if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
          return line.substring(colon + 1).strip();
        }
      }
      return null;
    }

    public String bodyText() {
      return new String(body, StandardCharsets.ISO_8859_1);
    }
  }

  /** One accepted connection: everything received, and what was framed as requests. */
  static final class Connection {
    private byte[] data = new byte[8192];
    private int size;
    private final List<Request> requests = new ArrayList<>();
    private int framed;
    private volatile boolean closed;
    /** {@link System#nanoTime} when the proxy's close (EOF or reset) was read; 0 while open. */
    private volatile long closedAt;

    boolean isClosed() {
      return closed;
    }

    /** When the upstream saw the proxy close this connection ({@link System#nanoTime}), or 0. */
    long closedAt() {
      return closedAt;
    }

    synchronized byte[] received() {
      return Arrays.copyOf(data, size);
    }

    private void append(byte[] b, int n) {
      if (size + n > data.length) {
        data = Arrays.copyOf(data, Math.max(data.length * 2, size + n));
      }
      System.arraycopy(b, 0, data, size, n);
      size += n;
    }

    synchronized List<Request> requests() {
      return List.copyOf(requests);
    }

    /** Received bytes that are not part of a complete request. */
    synchronized int leftover() {
      return size - framed;
    }
  }

  /** The default answer: no body, so that it is also a complete answer to HEAD. */
  static final byte[] OK = "HTTP/1.1 200 OK\r\nX-Recorded: 1\r\nContent-Length: 0\r\n\r\n"
      .getBytes(StandardCharsets.US_ASCII);

  private final ServerSocket server;
  private final List<Connection> connections = new CopyOnWriteArrayList<>();
  /** Every request framed, on any connection, in the order they were framed. */
  private final List<Request> arrivals = new CopyOnWriteArrayList<>();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  /** The answer to request number n; null: the default answer. */
  private volatile @Nullable IntFunction<byte[]> script;
  private final @Nullable String name;
  private final AtomicInteger counter = new AtomicInteger();
  private final AtomicInteger open = new AtomicInteger();
  private final AtomicInteger peakOpen = new AtomicInteger();

  public RecordingUpstream() {
    this(null);
  }

  /** An upstream whose default answer carries {@code name} (or {@link #OK} if null). */
  public RecordingUpstream(@Nullable String name) {
    this.name = name;
    try {
      server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Thread.ofVirtual().name("recording-upstream").start(this::accept);
  }

  /** When bytes last arrived on any connection ({@link System#nanoTime}). */
  private volatile long lastActivity = System.nanoTime() - 1_000_000_000L;

  public int port() {
    return server.getLocalPort();
  }

  /**
   * Answers request number n with {@code script.apply(n)}: empty closes the connection without an
   * answer, null leaves the request unanswered (the connection stays open and is read on).
   */
  void script(IntFunction<byte[]> s) {
    script = s;
  }

  /**
   * Forgets what was received (open connections stay open, their records are emptied) and makes the
   * script 200 ok again.
   */
  void reset() {
    // A request of the previous test may still be on its way through the proxy (its client closed
    // before the proxy forwarded it): wait until nothing arrived for 200 ms (at most 3 s), so that
    // its bytes are not counted against the next test.
    long deadline = System.nanoTime() + 3_000_000_000L;
    while (System.nanoTime() - lastActivity < 200_000_000L && System.nanoTime() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    for (Connection c : connections) {
      if (c.closed) {
        connections.remove(c);
      }
      synchronized (c) {
        c.size = 0;
        c.requests.clear();
        c.framed = 0;
      }
    }
    arrivals.clear();
    counter.set(0);
    peakOpen.set(open.get());
    script = null;
  }

  /** Connections open now. */
  int open() {
    return open.get();
  }

  /** The most connections open at once since the last {@link #reset} (or since the start). */
  int peakOpen() {
    return peakOpen.get();
  }

  List<Connection> connections() {
    return List.copyOf(connections);
  }

  /**
   * The head of every request framed, on any connection, in the order they arrived, each ending
   * with its blank line, as received.
   */
  public List<String> heads() {
    return arrivals.stream().map(r -> r.head() + "\r\n\r\n").toList();
  }

  /** The request target of a recorded head. */
  public static String target(String head) {
    String requestLine = head.substring(0, head.indexOf("\r\n"));
    return requestLine.split(" ", -1)[1];
  }

  /** The values of every field line of {@code head} named {@code name} (case-insensitive). */
  public static List<String> values(String head, String name) {
    List<String> values = new ArrayList<>();
    for (String line : head.split("\r\n", -1)) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
        values.add(line.substring(colon + 1).trim());
      }
    }
    return values;
  }

  /** The lower-case names of every field line of {@code head}. */
  public static List<String> names(String head) {
    List<String> names = new ArrayList<>();
    String[] lines = head.split("\r\n", -1);
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        names.add(lines[i].substring(0, colon).toLowerCase(Locale.ROOT));
      }
    }
    return names;
  }

  /** Every request framed on every connection, in connection order. */
  List<Request> requests() {
    List<Request> all = new ArrayList<>();
    for (Connection c : connections) {
      all.addAll(c.requests());
    }
    return all;
  }

  int bytesReceived() {
    return connections.stream().mapToInt(c -> c.received().length).sum();
  }

  int leftover() {
    return connections.stream().mapToInt(Connection::leftover).sum();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        Connection c = new Connection();
        peakOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
        connections.add(c);
        sockets.add(s);
        Thread.ofVirtual().name("recording-upstream-conn").start(() -> serve(s, c));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket s, Connection c) {
    try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
      byte[] buf = new byte[8192];
      for (int n = in.read(buf); n > 0; n = in.read(buf)) {
        List<byte[]> answers = new ArrayList<>();
        lastActivity = System.nanoTime();
        synchronized (c) {
          c.append(buf, n);
          for (Request r = frame(c.data, c.size, c.framed, c); r != null; r = frame(c.data, c.size,
              c.framed, c)) {
            c.requests.add(r);
            arrivals.add(r);
            IntFunction<byte[]> scripted = script;
            int number = counter.getAndIncrement();
            answers.add(scripted == null ? defaultAnswer(r) : scripted.apply(number));
          }
        }
        for (byte[] a : answers) {
          if (a == null) {
            continue; // held: never answered
          }
          if (a.length == 0) {
            return; // the script says: close without answering
          }
          out.write(a);
          out.flush();
        }
      }
    } catch (IOException e) {
      // the proxy closed the connection
    } finally {
      c.closedAt = System.nanoTime();
      c.closed = true;
      open.decrementAndGet();
    }
  }

  private byte[] defaultAnswer(Request r) {
    if (name == null) {
      return OK;
    }
    String body = r.requestLine().startsWith("HEAD ") ? "" : name;
    return ("HTTP/1.1 200 OK\r\nX-Recorded: 1\r\nx-upstream: " + name + "\r\nContent-Length: "
        + name.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII);
  }

  /** The next complete request at {@code from}, advancing {@code c.framed}; null if incomplete. */
  private static Request frame(byte[] all, int limit, int from, Connection c) {
    int headEnd = indexOf(all, limit, from, "\r\n\r\n");
    if (headEnd < 0) {
      return null;
    }
    String head = new String(all, from, headEnd - from, StandardCharsets.ISO_8859_1);
    int at = headEnd + 4;
    Request probe = new Request(head, new byte[0]);
    String te = probe.header("transfer-encoding");
    String cl = probe.header("content-length");
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    if (te != null && te.toLowerCase(Locale.ROOT).equals("chunked")) {
      while (true) {
        int lineEnd = indexOf(all, limit, at, "\r\n");
        if (lineEnd < 0) {
          return null;
        }
        String sizeLine = new String(all, at, lineEnd - at, StandardCharsets.ISO_8859_1);
        int semi = sizeLine.indexOf(';');
        int size = Integer.parseInt(semi < 0 ? sizeLine : sizeLine.substring(0, semi), 16);
        at = lineEnd + 2;
        if (size == 0) {
          int trailersEnd = at;
          while (true) { // trailer lines up to the empty line
            int e = indexOf(all, limit, trailersEnd, "\r\n");
            if (e < 0) {
              return null;
            }
            if (e == trailersEnd) {
              at = e + 2;
              break;
            }
            trailersEnd = e + 2;
          }
          break;
        }
        if (limit < at + size + 2) {
          return null;
        }
        body.write(all, at, size);
        at += size + 2;
      }
    } else if (cl != null) {
      int n = Integer.parseInt(cl);
      if (limit < at + n) {
        return null;
      }
      body.write(all, at, n);
      at += n;
    }
    c.framed = at;
    return new Request(head, body.toByteArray());
  }

  private static int indexOf(byte[] a, int limit, int from, String s) {
    byte[] p = s.getBytes(StandardCharsets.US_ASCII);
    outer : for (int i = from; i <= limit - p.length; i++) {
      for (int j = 0; j < p.length; j++) {
        if (a[i + j] != p[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // already closed
    }
  }

  @Override
  public void close() {
    for (Socket s : sockets) {
      closeQuietly(s);
    }
    try {
      server.close();
    } catch (IOException e) {
      // already closed
    }
  }
}
