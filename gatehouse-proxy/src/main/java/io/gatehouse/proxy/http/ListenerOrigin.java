package io.gatehouse.proxy.http;

import static java.util.Objects.requireNonNull;

/**
 * How clients reach a listener, for what the proxy writes about it: {@code X-Forwarded-Proto} and
 * the defaults of redirect {@code Location}s.
 *
 * @param scheme {@code http} or {@code https} (TLS terminated by the listener)
 * @param port the listener's port as written in the Gateway, before any port offset: the port
 * clients use when the proxy sits behind a port mapping
 */
public record ListenerOrigin(String scheme, int port) {
  public ListenerOrigin {
    requireNonNull(scheme, "scheme");
  }

  /** {@code http} on {@code port}. */
  public static ListenerOrigin http(int port) {
    return new ListenerOrigin("http", port);
  }

  /** {@code https} on {@code port}. */
  public static ListenerOrigin https(int port) {
    return new ListenerOrigin("https", port);
  }
}
