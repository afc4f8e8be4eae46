package io.gatehouse.proxy;

/** Every {@link HttpsListenerIT} scenario again on the NIO transport (the non-Linux fallback). */
class NioHttpsListenerIT extends HttpsListenerIT {
  @Override
  Transport transport() {
    return Transport.of(false);
  }
}
