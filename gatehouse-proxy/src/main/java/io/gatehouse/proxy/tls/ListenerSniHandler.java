package io.gatehouse.proxy.tls;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;

/**
 * Netty's {@link SniHandler} with the listener's {@link SniSelector}, which also records the
 * client's server name on the channel ({@link TlsConnection}) when it installs the TLS handler.
 */
public final class ListenerSniHandler extends SniHandler {
  private final SniSelector selector;

  /**
   * @param maxClientHello the largest ClientHello accepted, in bytes
   * @param handshakeTimeoutMillis the time allowed for the ClientHello and the whole handshake
   */
  public ListenerSniHandler(SniSelector selector, int maxClientHello,
      long handshakeTimeoutMillis) {
    super(selector, maxClientHello, handshakeTimeoutMillis);
    this.selector = selector;
  }

  @Override
  protected void replaceHandler(ChannelHandlerContext ctx, String hostname,
      SslContext sslContext) throws Exception {
    ctx.channel().attr(TlsConnection.KEY).set(new TlsConnection(hostname, selector.mapping()));
    super.replaceHandler(ctx, hostname, sslContext);
  }
}
