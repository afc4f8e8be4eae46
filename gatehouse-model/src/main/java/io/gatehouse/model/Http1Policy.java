package io.gatehouse.model;

/**
 * How strictly the edge frames HTTP/1.1 requests (RFC 9112; see {@code docs/security.md}, "HTTP/1.1
 * framing"). The framing rules themselves (one Content-Length or a single final {@code chunked},
 * never both; no obs-fold; CRLF line endings only; token methods and header names; no control
 * characters in values; strict chunk lines; no framing fields in trailers) are not settings: they
 * are never relaxed. Header count and header block size limits are not framing settings either.
 *
 * @param maxRequestTarget the longest request-target in bytes; a longer one is answered 414
 * @param maxChunkLine the longest chunk-size line (size and extensions) in bytes; a longer one is
 * answered 400
 * @param absoluteForm whether an absolute-form request-target ({@code GET http://host/path}) is
 * accepted: its authority then replaces {@code Host} (RFC 9112 §3.2.2); when false it is answered
 * 400
 */
public record Http1Policy(int maxRequestTarget, int maxChunkLine, boolean absoluteForm) {
  /** The shortest request-target limit that still admits every reasonable URL. */
  public static final int MIN_REQUEST_TARGET = 256;

  public Http1Policy {
    if (maxRequestTarget < MIN_REQUEST_TARGET || maxRequestTarget > 65_536) {
      throw new IllegalArgumentException("maxRequestTarget out of range: " + maxRequestTarget);
    }
    if (maxChunkLine < 16 || maxChunkLine > 65_536) {
      throw new IllegalArgumentException("maxChunkLine out of range: " + maxChunkLine);
    }
  }

  /** A 4,096-byte request-target, 4,096-byte chunk lines, absolute-form accepted. */
  public static Http1Policy defaults() {
    return new Http1Policy(4096, 4096, true);
  }
}
