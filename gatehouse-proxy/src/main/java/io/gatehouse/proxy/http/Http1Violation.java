package io.gatehouse.proxy.http;

/**
 * A request the edge refuses because of its framing or syntax, with the status to answer (400, 414,
 * 501 or 505); the connection is always closed after the answer. Travels in two forms: as an
 * inbound message from {@link Http1FramingScanner} (before the codec) to
 * {@link Http1RequestValidator} (after it), and as the cause of a failed {@code DecoderResult} from
 * there to {@link DownstreamHandler}. Carries no stack trace: it is an answer, not a bug.
 */
final class Http1Violation extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** The reason of a request with both Content-Length and Transfer-Encoding (counted apart). */
  static final String CL_TE = "Content-Length together with Transfer-Encoding";

  private final int status;

  Http1Violation(int status, String reason) {
    super(reason);
    this.status = status;
  }

  /** 400 for a malformed request, 414 for a long target, 501 for a coding, 505 for a version. */
  int status() {
    return status;
  }

  /** Whether the request had both Content-Length and Transfer-Encoding. */
  boolean isContentLengthWithTransferEncoding() {
    return CL_TE.equals(getMessage());
  }

  @Override
  public synchronized Throwable fillInStackTrace() {
    return this;
  }

  /** The status for a failed request part: ours when the cause is a violation, 400 otherwise. */
  static int statusOf(Throwable cause) {
    return cause instanceof Http1Violation v ? v.status() : 400;
  }
}
