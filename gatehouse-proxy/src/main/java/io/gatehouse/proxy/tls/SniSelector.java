package io.gatehouse.proxy.tls;

import io.netty.handler.ssl.SslContext;
import io.netty.util.AsyncMapping;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.util.function.Supplier;
import javax.net.ssl.SSLHandshakeException;
import org.jspecify.annotations.Nullable;

/**
 * The lookup Netty's {@code SniHandler} runs for each ClientHello: reads the listener's current
 * {@link SniMapping} at that moment (so a certificate swap reaches every handshake that starts
 * after it, also on connections accepted before) and fails the lookup when no certificate matches,
 * which makes the {@code SniHandler} raise an exception and the connection close without any
 * certificate being sent.
 */
public final class SniSelector implements AsyncMapping<String, SslContext> {
  private final Supplier<SniMapping<SslContext>> mapping;

  public SniSelector(Supplier<SniMapping<SslContext>> mapping) {
    this.mapping = mapping;
  }

  /** The listener's current mapping, read anew at every call. */
  public Supplier<SniMapping<SslContext>> mapping() {
    return mapping;
  }

  @Override
  public Future<SslContext> map(@Nullable String serverName, Promise<SslContext> promise) {
    SslContext context = mapping.get().select(serverName);
    return context != null
        ? promise.setSuccess(context)
        : promise.setFailure(new SSLHandshakeException("no certificate for server name "
            + (serverName == null ? "(none)" : serverName)));
  }
}
