package io.gatehouse.model;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * The timeouts of client connections at the edge, per proxy (Envoy's edge recommendations; see
 * {@code docs/security.md}). Route timeouts ({@link Timeouts}) come on top; there is no total
 * request deadline unless a route sets one.
 *
 * @param requestHeaders from the first byte of an HTTP/1.1 request until its head is complete; then
 * 408 and the connection is closed (slow headers, Slowloris)
 * @param idle a connection without a request in progress (HTTP/1.1 keep-alive) or without an open
 * stream (HTTP/2) is closed after this long
 * @param streamIdle a request in progress (an HTTP/1.1 exchange or an HTTP/2 stream) with no bytes
 * read or written on its connection or stream for this long is cut: the connection is closed, the
 * stream reset, the upstream request cancelled (slow POST, stalled clients)
 * @param upstreamReadIdle an upstream connection that sends nothing for this long while a response
 * is awaited or arriving fails the exchange (504 before the response head; the response is cut
 * after), as nginx's {@code proxy_read_timeout}
 */
public record EdgeTimeouts(Duration requestHeaders, Duration idle, Duration streamIdle,
    Duration upstreamReadIdle) {
  public EdgeTimeouts {
    positive(requestHeaders, "requestHeaders");
    positive(idle, "idle");
    positive(streamIdle, "streamIdle");
    positive(upstreamReadIdle, "upstreamReadIdle");
  }

  /** Request headers 10 s, idle 1 h, stream idle 300 s, upstream read idle 60 s. */
  public static EdgeTimeouts defaults() {
    return new EdgeTimeouts(Duration.ofSeconds(10), Duration.ofHours(1), Duration.ofSeconds(300),
        Duration.ofSeconds(60));
  }

  private static void positive(Duration d, String name) {
    requireNonNull(d, name);
    if (!d.isPositive()) {
      throw new IllegalArgumentException(name + " must be positive: " + d);
    }
  }
}
