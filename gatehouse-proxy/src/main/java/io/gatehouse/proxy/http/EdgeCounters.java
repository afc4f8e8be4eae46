package io.gatehouse.proxy.http;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * How many requests the edge refused, by reason ({@code downstream_rq_rejected{reason=...}} in
 * {@code SECURITY.md}). The reasons are the constants below; every one is in a
 * {@linkplain #snapshot snapshot}, zero or not, so that a dashboard sees the full set.
 *
 * <p>
 * Thread-safe: one instance is shared by every connection of a proxy.
 */
public final class EdgeCounters {
  /** Content-Length together with Transfer-Encoding (request smuggling, A1). */
  public static final String CL_TE = "cl_te";
  /** Any other malformed HTTP/1.1 framing or syntax (400). */
  public static final String BAD_FRAMING = "bad_framing";
  /** Request-target too long (414). */
  public static final String URI_TOO_LONG = "uri_too_long";
  /** A transfer coding other than a single final {@code chunked} (501). */
  public static final String TRANSFER_CODING = "transfer_coding";
  /** HTTP version not supported (505). */
  public static final String BAD_VERSION = "bad_version";
  /** A path refused by the path policy (escaped slash, {@code ..;}, NUL, no leading slash...). */
  public static final String BAD_PATH = "bad_path";
  /** Header block over the size or count limit (431). */
  public static final String HEADER_TOO_LARGE = "header_too_large";
  /** {@code _} in a header name (400 under the default policy). */
  public static final String UNDERSCORE_HEADER = "underscore_header";
  /** Answered 503 by the overload guard. */
  public static final String OVERLOAD = "overload";
  /** Answered 421: the host names another HTTPS listener of the port than the TLS SNI. */
  public static final String MISDIRECTED = "misdirected";

  private static final String[] REASONS = {CL_TE, BAD_FRAMING, URI_TOO_LONG, TRANSFER_CODING,
      BAD_VERSION, BAD_PATH, HEADER_TOO_LARGE, UNDERSCORE_HEADER, OVERLOAD,
      MISDIRECTED};

  private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

  public EdgeCounters() {
    for (String r : REASONS) {
      counts.put(r, new LongAdder());
    }
  }

  /** Counts one refused request; an unknown reason gets its own counter. */
  public void increment(String reason) {
    counts.computeIfAbsent(reason, r -> new LongAdder()).increment();
  }

  /** The current count of {@code reason}, 0 when never counted. */
  public long get(String reason) {
    LongAdder a = counts.get(reason);
    return a == null ? 0 : a.sum();
  }

  /** Every reason with its count, sorted by reason. */
  public Map<String, Long> snapshot() {
    Map<String, Long> m = new TreeMap<>();
    counts.forEach((r, a) -> m.put(r, a.sum()));
    return m;
  }

  /**
   * The reason for a request whose framing failed: the cause of its failed decoder result (an
   * {@link Http1Violation}, an oversized header block, or a codec error).
   */
  static String reasonOf(int status, Throwable cause) {
    if (status == 431) {
      return HEADER_TOO_LARGE;
    }
    if (cause instanceof Http1Violation v && v.isContentLengthWithTransferEncoding()) {
      return CL_TE;
    }
    return switch (status) {
      case 414 -> URI_TOO_LONG;
      case 501 -> TRANSFER_CODING;
      case 505 -> BAD_VERSION;
      default -> BAD_FRAMING;
    };
  }
}
