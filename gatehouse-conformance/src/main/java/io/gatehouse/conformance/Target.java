package io.gatehouse.conformance;

import java.net.InetSocketAddress;

/**
 * Where a request goes: the Gateway's status address and the listener port the suite dials; the
 * socket adds the runner's port offset, the {@code Host} header does not (HARNESS.md §4).
 */
record Target(String address, int port, int portOffset, String scheme) {
  InetSocketAddress socketAddress() {
    return new InetSocketAddress(address, port + portOffset);
  }

  /** The Host the Go client sends by default: {@code ip} for 80/443, else {@code ip:port}. */
  String defaultHost() {
    return port == 80 || port == 443 ? address : address + ":" + port;
  }
}
