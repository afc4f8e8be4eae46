package io.gatehouse.testing;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * One line of an echo pod's request log: the Java form of echo-basic's
 * {@code Echoing back request made to <uri> to client (<remote>)}, which mirror tests search.
 *
 * @param timestamp when the request was dispatched (before any {@code delay})
 * @param method request method, e.g. {@code GET}
 * @param uri request-URI as received (path and query)
 * @param remoteAddress client address in Go's {@code RemoteAddr} form, {@code 127.0.0.1:50312} or
 * {@code [::1]:50312}
 */
public record EchoRequestLog(Instant timestamp, String method, String uri, String remoteAddress) {

  public EchoRequestLog {
    requireNonNull(timestamp, "timestamp");
    requireNonNull(method, "method");
    requireNonNull(uri, "uri");
    requireNonNull(remoteAddress, "remoteAddress");
  }

  /** The line echo-basic prints for this request, as mirror tests expect it in the pod log. */
  public String logLine() {
    return "Echoing back request made to " + uri + " to client (" + remoteAddress + ")";
  }
}
