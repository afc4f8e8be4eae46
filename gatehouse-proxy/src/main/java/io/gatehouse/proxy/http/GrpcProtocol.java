package io.gatehouse.proxy.http;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import org.jspecify.annotations.Nullable;

/**
 * What the proxy needs of the gRPC over HTTP/2 protocol: recognising a gRPC request, its
 * {@code grpc-timeout}, the status to give a client when the proxy itself answers (trailers-only
 * responses), and the encoding of {@code grpc-message}. Stateless.
 */
final class GrpcProtocol {
  static final String CONTENT_TYPE = "application/grpc";
  static final String STATUS = "grpc-status";
  static final String MESSAGE = "grpc-message";
  static final String TIMEOUT = "grpc-timeout";
  static final int UNKNOWN = 2;
  static final int DEADLINE_EXCEEDED = 4;
  private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

  private GrpcProtocol() {
  }

  /**
   * Whether a request with these headers is a gRPC call: {@code content-type} is
   * {@code application/grpc} or {@code application/grpc+<format>} (parameters allowed), not
   * {@code application/grpc-web}.
   */
  static boolean isGrpc(HttpHeaders headers) {
    String type = headers.get(HttpHeaderNames.CONTENT_TYPE);
    if (type == null || !type.regionMatches(true, 0, CONTENT_TYPE, 0, CONTENT_TYPE.length())) {
      return false;
    }
    if (type.length() == CONTENT_TYPE.length()) {
      return true;
    }
    char next = type.charAt(CONTENT_TYPE.length());
    return next == '+' || next == ';' || next == ' ';
  }

  /**
   * The gRPC status for an HTTP status the proxy answers with, as gRPC's HTTP to gRPC mapping
   * except 504 (the proxy's own timeouts), which is {@code DEADLINE_EXCEEDED}.
   */
  static int statusOf(int httpStatus) {
    return switch (httpStatus) {
      case 400 -> 13; // INTERNAL
      case 401 -> 16; // UNAUTHENTICATED
      case 403 -> 7; // PERMISSION_DENIED
      case 404 -> 12; // UNIMPLEMENTED
      case 429, 502, 503 -> 14; // UNAVAILABLE
      case 504 -> DEADLINE_EXCEEDED;
      default -> UNKNOWN;
    };
  }

  /**
   * {@code grpc-timeout} as the gRPC over HTTP/2 spec writes it: 1 to 8 ASCII digits and a unit,
   * {@code H} hours, {@code M} minutes, {@code S} seconds, {@code m} milliseconds, {@code u}
   * microseconds, {@code n} nanoseconds. Null when absent or malformed (the caller ignores it).
   */
  static @Nullable Duration parseTimeout(@Nullable String value) {
    if (value == null || value.length() < 2 || value.length() > 9) {
      return null;
    }
    long amount = 0;
    int digits = value.length() - 1;
    for (int i = 0; i < digits; i++) {
      char c = value.charAt(i);
      if (c < '0' || c > '9') {
        return null;
      }
      amount = amount * 10 + (c - '0');
    }
    ChronoUnit unit = switch (value.charAt(digits)) {
      case 'H' -> ChronoUnit.HOURS;
      case 'M' -> ChronoUnit.MINUTES;
      case 'S' -> ChronoUnit.SECONDS;
      case 'm' -> ChronoUnit.MILLIS;
      case 'u' -> ChronoUnit.MICROS;
      case 'n' -> ChronoUnit.NANOS;
      default -> null;
    };
    return unit == null ? null : Duration.of(amount, unit);
  }

  /**
   * {@code d} as a {@code grpc-timeout} value: the finest unit that keeps it within 8 digits,
   * rounded up so the backend never sees a shorter deadline than the proxy enforces.
   */
  static String formatTimeout(Duration d) {
    long nanos = d.isNegative() ? 0 : saturatedNanos(d);
    long[] per = {1, 1_000, 1_000_000, 1_000_000_000L, 60_000_000_000L, 3_600_000_000_000L};
    char[] units = {'n', 'u', 'm', 'S', 'M', 'H'};
    for (int i = 0; i < per.length; i++) {
      long amount = (nanos + per[i] - 1) / per[i];
      if (amount <= 99_999_999L) {
        return amount + String.valueOf(units[i]);
      }
    }
    return "99999999H";
  }

  /** {@code d} in nanoseconds, at most {@link Long#MAX_VALUE}. */
  static long saturatedNanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }

  /**
   * {@code grpc-message} encoding: UTF-8, with every byte outside printable ASCII and {@code %}
   * itself written as {@code %XX}.
   */
  static String encodeMessage(String message) {
    byte[] utf8 = message.getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[utf8.length * 3];
    int n = 0;
    for (byte b : utf8) {
      if (b >= 0x20 && b < 0x7f && b != '%') {
        out[n++] = b;
      } else {
        out[n++] = '%';
        out[n++] = HEX[(b >> 4) & 0xf];
        out[n++] = HEX[b & 0xf];
      }
    }
    return new String(out, 0, n, StandardCharsets.US_ASCII);
  }

  /**
   * The proxy's own answer to a gRPC call, in place of HTTP {@code httpStatus}: HTTP 200,
   * {@code content-type: application/grpc}, no body and the status in the headers, which an HTTP/2
   * stream sends as one HEADERS frame with END_STREAM (a trailers-only response).
   */
  static FullHttpResponse localReply(int httpStatus, String reason) {
    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
        Unpooled.EMPTY_BUFFER);
    r.headers().set(HttpHeaderNames.CONTENT_TYPE, CONTENT_TYPE)
        .setInt(STATUS, statusOf(httpStatus)).set(MESSAGE, encodeMessage(reason));
    return r;
  }

  /** Trailers ending a response that already started, with {@code status} and {@code reason}. */
  static LastHttpContent trailers(int status, String reason) {
    LastHttpContent last = new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER);
    last.trailingHeaders().setInt(STATUS, status).set(MESSAGE, encodeMessage(reason));
    return last;
  }
}
