package io.gatehouse.proxy;

/** Every {@link GatewayProxyIT} scenario again on the NIO transport (the non-Linux fallback). */
class NioGatewayProxyIT extends GatewayProxyIT {
  @Override
  Transport transport() {
    return Transport.of(false);
  }
}
