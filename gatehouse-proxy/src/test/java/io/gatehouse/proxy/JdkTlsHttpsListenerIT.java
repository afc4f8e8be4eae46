package io.gatehouse.proxy;

import io.netty.handler.ssl.SslProvider;

/**
 * Every {@link HttpsListenerIT} scenario again with the JDK's TLS, the fallback where BoringSSL
 * cannot load.
 */
class JdkTlsHttpsListenerIT extends HttpsListenerIT {
  @Override
  SslProvider tlsProvider() {
    return SslProvider.JDK;
  }
}
