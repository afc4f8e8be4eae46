package io.gatehouse.model;

/**
 * One socket the proxy binds: an address and a port, and what it serves. Gateway listeners that
 * share a port (distinguished by hostname) become one model listener with several virtual hosts.
 */
public sealed interface Listener permits HttpListener, HttpsListener, TcpListener,
    TlsPassthroughListener, TlsTerminateListener, TlsMixedListener, UdpListener {
  /** A stable name, {@code <namespace>/<gateway>/<port>}, used in logs and metrics. */
  String name();

  /** The IP address to bind, e.g. {@code 127.0.0.2}. */
  String address();

  /** The port as written in the Gateway (before any port offset the proxy applies). */
  int port();
}
