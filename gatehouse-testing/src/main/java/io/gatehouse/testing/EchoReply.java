package io.gatehouse.testing;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What the echo answers, after {@link #delay()}: a response or an aborted connection. The protocol
 * handlers turn it into HTTP/1.x or HTTP/2 frames.
 */
sealed interface EchoReply {

  /**
   * How long to wait before answering; zero or negative means at once (as Go's {@code time.Sleep}).
   */
  Duration delay();

  /**
   * A complete response. {@code Content-Length} (HTTP/1.x) is added by the writer.
   *
   * @param headers response header fields, names with the case to send on HTTP/1.x
   */
  record Respond(int status, List<Map.Entry<String, String>> headers, byte[] body, Duration delay)
      implements
        EchoReply {

    public Respond {
      headers = List.copyOf(headers);
      requireNonNull(body, "body");
      requireNonNull(delay, "delay");
    }
  }

  /**
   * Abort the exchange: an HTTP/1.x connection is closed with a TCP RST (SO_LINGER 0), an HTTP/2
   * stream is reset.
   */
  record Abort(Duration delay) implements EchoReply {

    public Abort {
      requireNonNull(delay, "delay");
    }
  }
}
