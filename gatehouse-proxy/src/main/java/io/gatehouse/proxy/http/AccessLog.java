package io.gatehouse.proxy.http;

import static java.util.Objects.requireNonNull;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.Http2StreamChannel;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access log: one JSON object per line and per request (an HTTP/1.1 request or an HTTP/2
 * stream), written when the response's last byte was written or the request ended without one. By
 * default the lines go to the SLF4J logger {@value #LOGGER} at INFO, so operators route them with
 * their logging configuration.
 *
 * <p>
 * Fields: {@code time} (the request head's arrival, ISO-8601 UTC), {@code listener} (the local
 * address), {@code client} (the TCP peer), {@code method}, {@code path} (the canonical path used
 * for routing, or the raw target when the request was refused before canonicalisation),
 * {@code protocol}, {@code authority}, {@code user_agent}, {@code status} (0 when no response was
 * sent), {@code bytes} (response body bytes), {@code duration_ms}, {@code route} and
 * {@code upstream} (null when not routed or not forwarded) and {@code reason} (why the gateway
 * answered itself with an error, or why the request ended without a response).
 *
 * <p>
 * Values come from the client and are escaped so that every line parses as JSON and stays one line:
 * quotes, backslashes, control characters (including ESC), DEL and every non-ASCII character become
 * escapes. Values longer than {@link #MAX_VALUE} characters are cut there and end with {@code ...}.
 *
 * <p>
 * While the sink is disabled (the default sink's logger is off) an entry records only what decides
 * when a request ended, and no line is built: the log costs no strings per request.
 */
public final class AccessLog {
  /** The logger name of the default sink. */
  public static final String LOGGER = "gatehouse.access";
  /** Longest value written, in characters (before escaping). */
  public static final int MAX_VALUE = 1024;

  private static final Logger ACCESS = LoggerFactory.getLogger(LOGGER);
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  /** Writes to {@value #LOGGER}. */
  public static final AccessLog DEFAULT = new AccessLog(ACCESS::info, ACCESS::isInfoEnabled);

  private final Consumer<String> sink;
  private final BooleanSupplier enabled;

  /** @param sink receives each line (without a line end); called on event loops */
  public AccessLog(Consumer<String> sink) {
    this(sink, () -> true);
  }

  /**
   * @param enabled whether {@code sink} takes lines now; asked when a request's head arrives, an
   * entry begun while it is false writes no line
   */
  AccessLog(Consumer<String> sink, BooleanSupplier enabled) {
    this.sink = requireNonNull(sink, "sink");
    this.enabled = requireNonNull(enabled, "enabled");
  }

  /** Starts the entry of a request whose head just arrived on {@code channel}. */
  Entry begin(Channel channel, HttpRequest req) {
    return new Entry(this, channel, req);
  }

  /** One request's fields, filled in as it is handled. Used on one event loop only. */
  static final class Entry {
    private final AccessLog log;
    /** Whether this entry writes a line; when false, only the response's end is tracked. */
    private final boolean active;
    private final long startNanos = System.nanoTime();
    private final @Nullable Instant time;
    private final @Nullable String listener;
    private final @Nullable String client;
    private final @Nullable String method;
    private final @Nullable String protocol;
    private final @Nullable String authority;
    private final @Nullable String userAgent;
    private @Nullable String path;
    private @Nullable String route;
    private @Nullable SocketAddress upstream;
    private @Nullable String reason;
    private int status;
    private long bytes;
    private boolean done;
    /** An interim (1xx) response is being written. */
    private boolean interim;

    private Entry(AccessLog log, Channel channel, HttpRequest req) {
      this.log = log;
      this.active = log.enabled.getAsBoolean();
      if (!active) {
        this.time = null;
        this.listener = null;
        this.client = null;
        this.method = null;
        this.protocol = null;
        this.authority = null;
        this.userAgent = null;
        return;
      }
      this.time = Instant.now();
      this.listener = address(channel.localAddress());
      this.client = address(channel.remoteAddress());
      this.method = req.method().name();
      this.protocol = channel instanceof Http2StreamChannel
          ? "HTTP/2.0"
          : req.protocolVersion().text();
      this.authority = req.headers().get(HttpHeaderNames.HOST);
      this.userAgent = req.headers().get(HttpHeaderNames.USER_AGENT);
      String uri = req.uri();
      int q = uri.indexOf('?');
      this.path = q < 0 ? uri : uri.substring(0, q);
    }

    /** Whether a line is written when the entry is finished. */
    boolean active() {
      return active;
    }

    void path(String canonical) {
      if (active) {
        path = canonical;
      }
    }

    void route(String id) {
      route = id;
    }

    void upstream(SocketAddress address) {
      upstream = address;
    }

    /** Why the gateway answered itself with an error; the first reason given is kept. */
    void reason(String why) {
      if (reason == null) {
        reason = why;
      }
    }

    /**
     * Notes a response part about to be written: its status (final heads, and 101) and body bytes.
     * Returns true for the last part, after which the entry is to be {@linkplain #finish finished}.
     */
    boolean onWrite(Object msg) {
      if (msg instanceof HttpResponse r) {
        int code = r.status().code();
        interim = code < 200 && code != 101;
        if (!interim) {
          status = code;
        }
      }
      if (interim) {
        interim = !(msg instanceof LastHttpContent); // a 1xx and its end are not the response
        return false;
      }
      if (msg instanceof HttpContent c) {
        bytes += c.content().readableBytes();
      }
      return msg instanceof LastHttpContent;
    }

    /** Writes the line, once; later calls do nothing. */
    void finish() {
      if (done) {
        return;
      }
      done = true;
      if (active) {
        log.sink.accept(toJson());
      }
    }

    /** Writes the line of a request that ended without (the rest of) its response. */
    void abort(String why) {
      reason(why);
      finish();
    }

    String toJson() {
      long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
      StringBuilder b = new StringBuilder(256);
      b.append('{');
      field(b, "time", String.valueOf(time)).append(',');
      field(b, "listener", listener).append(',');
      field(b, "client", client).append(',');
      field(b, "method", method).append(',');
      field(b, "path", path).append(',');
      field(b, "protocol", protocol).append(',');
      field(b, "authority", authority).append(',');
      field(b, "user_agent", userAgent).append(',');
      b.append("\"status\":").append(status).append(',');
      b.append("\"bytes\":").append(bytes).append(',');
      b.append("\"duration_ms\":").append(ms).append(',');
      field(b, "route", route).append(',');
      field(b, "upstream", upstream == null ? null : address(upstream)).append(',');
      field(b, "reason", reason);
      return b.append('}').toString();
    }
  }

  private static String address(@Nullable SocketAddress a) {
    if (a instanceof InetSocketAddress i && i.getAddress() != null) {
      return i.getAddress().getHostAddress() + ":" + i.getPort();
    }
    return String.valueOf(a);
  }

  private static StringBuilder field(StringBuilder b, String name, @Nullable String value) {
    b.append('"').append(name).append("\":");
    if (value == null) {
      return b.append("null");
    }
    return quote(b, value);
  }

  /**
   * Appends {@code value} as a JSON string of printable ASCII only, cut at {@link #MAX_VALUE}
   * characters.
   */
  static StringBuilder quote(StringBuilder b, String value) {
    boolean cut = value.length() > MAX_VALUE;
    int end = cut ? MAX_VALUE : value.length();
    b.append('"');
    for (int i = 0; i < end; i++) {
      char c = value.charAt(i);
      if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else if (c < 0x20 || c >= 0x7f) {
        b.append("\\u").append(HEX[c >> 12 & 0xf]).append(HEX[c >> 8 & 0xf])
            .append(HEX[c >> 4 & 0xf]).append(HEX[c & 0xf]);
      } else {
        b.append(c);
      }
    }
    if (cut) {
      b.append("...");
    }
    return b.append('"');
  }
}
