package io.gatehouse.proxy.http;

/** Every {@link WebSocketRelayIT} scenario again on the NIO transport. */
class NioWebSocketRelayIT extends WebSocketRelayIT {
  @Override
  boolean nativeTransport() {
    return false;
  }
}
