package io.gatehouse.proxy;

/** Every {@link UdpProxyIT} scenario again on the NIO transport (the non-Linux fallback). */
class NioUdpProxyIT extends UdpProxyIT {
  @Override
  Transport transport() {
    return Transport.of(false);
  }
}
