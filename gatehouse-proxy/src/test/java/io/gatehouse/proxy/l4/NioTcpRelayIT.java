package io.gatehouse.proxy.l4;

import io.gatehouse.proxy.GatewayProxy;
import io.gatehouse.proxy.ProxyOptions;
import java.time.Duration;

/**
 * {@link TcpRelayIT} on the NIO transport, which reads a client's early bytes and FIN differently
 * from epoll (nothing is read before the backend is connected).
 */
class NioTcpRelayIT extends TcpRelayIT {
  @Override
  GatewayProxy startProxy() {
    String previous = System.getProperty("gatehouse.transport");
    System.setProperty("gatehouse.transport", "nio");
    try {
      return GatewayProxy.start(
          new ProxyOptions(0, 2, Duration.ofSeconds(2), Duration.ofSeconds(2)));
    } finally {
      if (previous == null) {
        System.clearProperty("gatehouse.transport");
      } else {
        System.setProperty("gatehouse.transport", previous);
      }
    }
  }
}
