package io.gatehouse.proxy.http;

import io.gatehouse.model.Http1Policy;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ByteProcessor;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Checks the raw bytes of HTTP/1.1 requests for what Netty's decoder would silently normalise and
 * so hide from every handler after it: obs-fold continuation lines (merged into the previous
 * value), request lines with extra or non-SP whitespace or a lower-case {@code http/}, and framing
 * or routing fields in a chunked body's trailers (dropped). It also decides the framing policy (RFC
 * 9112 §6): one Content-Length of plain digits, or a single {@code Transfer-Encoding: chunked} on
 * HTTP/1.1, never both; anything else is refused here, with 501 for an unknown transfer coding.
 *
 * <p>
 * Sits between {@link H2cPrefaceHandler} (cleartext) or the TLS handler and
 * {@code HttpServerCodec}. It never changes bytes and never decides where a message ends for the
 * codec: it follows the same framing only to know which bytes are heads, chunk lines and trailers.
 * Every framing it follows is the only one the codec can take for a message that passes here, so
 * the two cannot disagree on a message that is forwarded. At the first violation it passes on the
 * bytes before the offending line, then an {@link Http1Violation} message (which the codec passes
 * through, and {@link Http1RequestValidator} turns into a failed request part), and releases
 * everything the client sends after it. Ownership: buffers are forwarded, or released once refused.
 */
final class Http1FramingScanner extends ChannelInboundHandlerAdapter {
  /** Methods are short; this bounds the request line together with the policy's target limit. */
  private static final int MAX_METHOD = 32;
  /** Room for the CL or TE value kept for the framing decision; a longer one is refused. */
  private static final int MAX_FRAMING_VALUE = 256;
  /** Fields a trailer section must not carry (RFC 9110 §6.5.1: framing, routing, hop-by-hop). */
  private static final Set<String> FORBIDDEN_TRAILERS = Set.of("content-length",
      "transfer-encoding", "trailer", "host", "connection", "keep-alive", "te", "upgrade",
      "proxy-connection");

  private enum State {
    REQUEST_LINE, HEADER_LINE, BODY, CHUNK_LINE, CHUNK_DATA, CHUNK_END, TRAILER_LINE, FAILED
  }

  private final Http1Policy policy;
  private State state = State.REQUEST_LINE;
  /** The current line (request line, header name and CL/TE value, chunk line, trailer name). */
  private final StringBuilder line = new StringBuilder();
  private boolean crSeen;
  /** In a header or trailer line: still reading its name (before the colon). */
  private boolean inName;
  private @Nullable String headerName;
  private boolean http10;
  private int contentLengths;
  private int transferEncodings;
  private String contentLength = "";
  private String transferEncoding = "";
  /** Bytes left of a Content-Length body or of the current chunk's data. */
  private long remaining;
  /** Set by {@link #onByte} when a line ended: the next one starts after this byte. */
  private boolean lineEnded;
  /** While scanning a buffer: the index of the byte {@link #lineByte} is given. */
  private int index;
  /** While scanning a buffer: where the line in progress started (bytes before it passed). */
  private int lineStart;
  /** While scanning a buffer: the violation found, if any. */
  private @Nullable Http1Violation violation;
  private final ByteProcessor lineBytes = this::lineByte;

  Http1FramingScanner(Http1Policy policy) {
    this.policy = policy;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof ByteBuf buf)) {
      ctx.fireChannelRead(msg);
      return;
    }
    if (state == State.FAILED) {
      buf.release();
      return;
    }
    int start = buf.readerIndex();
    int end = buf.writerIndex();
    lineStart = start;
    violation = null;
    int i = start;
    while (i < end && violation == null) {
      if (state == State.BODY || state == State.CHUNK_DATA) {
        int n = (int) Math.min(remaining, end - i);
        remaining -= n;
        i += n;
        if (remaining == 0) {
          state = state == State.BODY ? State.REQUEST_LINE : State.CHUNK_END;
          lineStart = i;
        }
        continue;
      }
      // Heads, chunk lines and trailers byte by byte, in one pass over the buffer (one access
      // check, not one per byte); the processor stops where body bytes start or at a violation.
      index = i;
      int stop = buf.forEachByte(i, end - i, lineBytes);
      i = stop < 0 ? end : stop + 1;
    }
    Http1Violation found = violation;
    violation = null;
    if (found == null) {
      ctx.fireChannelRead(buf);
      return;
    }
    state = State.FAILED;
    try {
      if (lineStart > start) {
        ctx.fireChannelRead(buf.retainedSlice(start, lineStart - start));
      }
    } finally {
      buf.release();
    }
    ctx.fireChannelRead(found);
  }

  /**
   * One byte of a head, chunk line or trailer at {@link #index}: false to stop at a violation or
   * where body bytes start.
   */
  private boolean lineByte(byte b) {
    violation = onByte(b);
    if (lineEnded) {
      lineEnded = false;
      if (violation == null) {
        lineStart = index + 1;
      }
    }
    index++;
    return violation == null && state != State.BODY && state != State.CHUNK_DATA;
  }

  private Http1Violation onByte(byte b) {
    if (crSeen) {
      if (b != '\n') {
        return bad("bare CR in a line");
      }
      crSeen = false;
      return endOfLine();
    }
    if (b == '\r') {
      crSeen = true;
      return null;
    }
    if (b == '\n') {
      return bad("line terminated by a bare LF");
    }
    return switch (state) {
      case REQUEST_LINE -> requestLineByte(b);
      case HEADER_LINE, TRAILER_LINE -> fieldByte(b);
      case CHUNK_LINE -> line.length() >= policy.maxChunkLine()
          ? bad("chunk line too long")
          : append(b);
      case CHUNK_END -> bad("chunk data not followed by CRLF");
      default -> null;
    };
  }

  private Http1Violation requestLineByte(byte b) {
    if (line.length() >= MAX_METHOD + policy.maxRequestTarget() + 10) {
      return line.indexOf(" ") > 0
          ? new Http1Violation(414, "request-target too long")
          : bad("request line too long");
    }
    return append(b);
  }

  private Http1Violation fieldByte(byte b) {
    if (line.isEmpty() && inName && (b == ' ' || b == '\t')) {
      return bad("obs-fold or whitespace at the start of a field line");
    }
    if (inName) {
      if (b == ':') {
        inName = false;
        headerName = line.toString().toLowerCase(Locale.ROOT);
        line.setLength(0);
        if (state == State.TRAILER_LINE && FORBIDDEN_TRAILERS.contains(headerName)) {
          return bad("trailer field " + headerName + " not allowed");
        }
        if (state == State.HEADER_LINE && isFraming(headerName)) {
          if (headerName.equals("content-length")) {
            contentLengths++;
          } else {
            transferEncodings++;
          }
        }
        return null;
      }
      if (line.length() < 64) {
        line.append((char) (b & 0xff));
      }
      return null;
    }
    if (state == State.HEADER_LINE && headerName != null && isFraming(headerName)) {
      if (line.length() >= MAX_FRAMING_VALUE) {
        return bad(headerName + " value too long");
      }
      line.append((char) (b & 0xff));
    }
    return null;
  }

  private static boolean isFraming(String name) {
    return name.equals("content-length") || name.equals("transfer-encoding");
  }

  private Http1Violation append(byte b) {
    line.append((char) (b & 0xff));
    return null;
  }

  private Http1Violation endOfLine() {
    String text = line.toString();
    line.setLength(0);
    lineEnded = true;
    return switch (state) {
      case REQUEST_LINE -> text.isEmpty() ? null : requestLine(text);
      case HEADER_LINE -> headerLineEnd(text);
      case CHUNK_LINE -> chunkLine(text);
      case CHUNK_END -> {
        state = State.CHUNK_LINE;
        yield null;
      }
      case TRAILER_LINE -> trailerLineEnd(text);
      default -> null;
    };
  }

  private Http1Violation requestLine(String text) {
    int sp1 = text.indexOf(' ');
    int sp2 = sp1 < 0 ? -1 : text.indexOf(' ', sp1 + 1);
    if (sp1 <= 0 || sp2 < 0) {
      return bad("request line without an HTTP version (HTTP/0.9) or malformed");
    }
    String method = text.substring(0, sp1);
    String target = text.substring(sp1 + 1, sp2);
    String version = text.substring(sp2 + 1);
    if (!isToken(method) || method.length() > MAX_METHOD) {
      return bad("method is not a token");
    }
    if (target.length() > policy.maxRequestTarget()) {
      return new Http1Violation(414, "request-target too long");
    }
    if (target.isEmpty() || !isTargetText(target)) {
      return bad("request-target has invalid characters");
    }
    if (!isVersionSyntax(version)) {
      return bad("malformed HTTP version");
    }
    if (!version.equals("HTTP/1.1") && !version.equals("HTTP/1.0")) {
      return new Http1Violation(505, "HTTP version not supported");
    }
    http10 = version.equals("HTTP/1.0");
    contentLengths = 0;
    transferEncodings = 0;
    contentLength = "";
    transferEncoding = "";
    startField(State.HEADER_LINE);
    return null;
  }

  private void startField(State next) {
    state = next;
    inName = true;
    headerName = null;
  }

  private Http1Violation headerLineEnd(String value) {
    if (inName) {
      return value.isEmpty() ? endOfHead() : bad("field line without a colon");
    }
    if (headerName != null && headerName.equals("content-length") && contentLengths == 1) {
      contentLength = ows(value);
    } else if (headerName != null && headerName.equals("transfer-encoding")
        && transferEncodings == 1) {
      transferEncoding = ows(value);
    }
    startField(State.HEADER_LINE);
    return null;
  }

  private Http1Violation endOfHead() {
    if (transferEncodings > 0 && contentLengths > 0) {
      return bad(Http1Violation.CL_TE);
    }
    if (transferEncodings > 1) {
      return bad("more than one Transfer-Encoding field");
    }
    if (transferEncodings == 1) {
      return transferCoding();
    }
    if (contentLengths > 1) {
      return bad("more than one Content-Length field");
    }
    if (contentLengths == 1) {
      if (!isDigits(contentLength, 1, 18)) {
        return bad("malformed Content-Length");
      }
      remaining = Long.parseLong(contentLength);
      state = remaining > 0 ? State.BODY : State.REQUEST_LINE;
      return null;
    }
    state = State.REQUEST_LINE;
    return null;
  }

  /** Only a single, final {@code chunked} is accepted; RFC 9112 §6.1 and §7. */
  private Http1Violation transferCoding() {
    if (transferEncoding.equalsIgnoreCase("chunked")) {
      if (http10) {
        return bad("Transfer-Encoding in an HTTP/1.0 request");
      }
      state = State.CHUNK_LINE;
      return null;
    }
    String[] codings = transferEncoding.split(",", -1);
    for (int i = 0; i < codings.length; i++) {
      String c = ows(codings[i]);
      if (!isToken(c) || c.equalsIgnoreCase("chunked") && i < codings.length - 1) {
        return bad("malformed Transfer-Encoding (chunked must be the only and final coding)");
      }
    }
    return new Http1Violation(501, "transfer coding not implemented");
  }

  private Http1Violation chunkLine(String text) {
    int digits = 0;
    while (digits < text.length() && Character.digit(text.charAt(digits), 16) >= 0) {
      digits++;
    }
    if (digits == 0 || digits > 8) {
      return bad("malformed chunk size");
    }
    long size = Long.parseLong(text.substring(0, digits), 16);
    if (size > Integer.MAX_VALUE) {
      return bad("chunk size too large");
    }
    if (digits < text.length() && !isChunkExtensions(text.substring(digits))) {
      return bad("malformed chunk extension");
    }
    if (size == 0) {
      startField(State.TRAILER_LINE);
    } else {
      remaining = size;
      state = State.CHUNK_DATA;
    }
    return null;
  }

  private Http1Violation trailerLineEnd(String text) {
    if (inName && !text.isEmpty()) {
      return bad("trailer line without a colon");
    }
    if (inName) {
      state = State.REQUEST_LINE; // the empty line ends the message
      return null;
    }
    startField(State.TRAILER_LINE);
    return null;
  }

  /**
   * {@code *( ";" ext-name [ "=" token ] )} without whitespace: RFC 9112 §7.1.1 minus BWS and
   * quoted-string values, the forms parsers disagree on (CVE-2026-33870). Nothing uses chunk
   * extensions; they are checked, never forwarded (the body is re-chunked).
   */
  static boolean isChunkExtensions(String s) {
    int i = 0;
    while (i < s.length()) {
      if (s.charAt(i) != ';') {
        return false;
      }
      i = tokenEnd(s, i + 1);
      if (i < 0) {
        return false;
      }
      if (i < s.length() && s.charAt(i) == '=') {
        i = tokenEnd(s, i + 1);
        if (i < 0) {
          return false;
        }
      }
    }
    return true;
  }

  /** The end of the token starting at {@code i}, or -1 when there is none. */
  private static int tokenEnd(String s, int i) {
    int start = i;
    while (i < s.length() && isTchar(s.charAt(i))) {
      i++;
    }
    return i == start ? -1 : i;
  }

  static boolean isToken(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (!isTchar(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  static boolean isTchar(char c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
        || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
  }

  /** Visible ASCII without {@code #}: no whitespace, controls, fragments or raw non-ASCII. */
  private static boolean isTargetText(String target) {
    for (int i = 0; i < target.length(); i++) {
      char c = target.charAt(i);
      if (c <= 0x20 || c >= 0x7f || c == '#') {
        return false;
      }
    }
    return true;
  }

  /** {@code HTTP/[0-9].[0-9]}. */
  private static boolean isVersionSyntax(String v) {
    return v.length() == 8 && v.startsWith("HTTP/") && isDigit(v.charAt(5)) && v.charAt(6) == '.'
        && isDigit(v.charAt(7));
  }

  /** {@code [0-9]{min,max}}. */
  static boolean isDigits(String s, int min, int max) {
    if (s.length() < min || s.length() > max) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (!isDigit(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /** Strips optional whitespace (SP and HTAB only, RFC 9110 §5.6.3). */
  private static String ows(String s) {
    int a = 0;
    int b = s.length();
    while (a < b && (s.charAt(a) == ' ' || s.charAt(a) == '\t')) {
      a++;
    }
    while (b > a && (s.charAt(b - 1) == ' ' || s.charAt(b - 1) == '\t')) {
      b--;
    }
    return s.substring(a, b);
  }

  private static Http1Violation bad(String reason) {
    return new Http1Violation(400, reason);
  }

  /** From now on every byte is dropped: the connection is closing. */
  void refuseRest() {
    state = State.FAILED;
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    line.setLength(0);
  }
}
