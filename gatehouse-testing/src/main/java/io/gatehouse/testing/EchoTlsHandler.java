package io.gatehouse.testing;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.Mapping;

/**
 * The first handler of an HTTPS echo connection: Netty's {@link SniHandler} serving one context
 * whatever the name, which records the client's SNI ({@link EchoTlsInfo#SNI}) and replaces itself
 * with an {@link SslHandler} plus a small listener that stores {@link EchoTlsInfo#KEY} once the
 * handshake succeeds. A failed handshake closes the connection (SslHandler's own behaviour).
 */
final class EchoTlsHandler extends SniHandler {
  EchoTlsHandler(SslContext context) {
    super((Mapping<String, SslContext>) host -> context);
  }

  @Override
  protected void replaceHandler(ChannelHandlerContext ctx, String hostname, SslContext context)
      throws Exception {
    ctx.channel().attr(EchoTlsInfo.SNI).set(hostname);
    ctx.pipeline().addAfter(ctx.name(), "echo-tls-info",
        new io.netty.channel.ChannelInboundHandlerAdapter() {
          @Override
          public void userEventTriggered(ChannelHandlerContext c, Object evt) throws Exception {
            if (evt instanceof SslHandshakeCompletionEvent e && e.isSuccess()) {
              SslHandler ssl = c.pipeline().get(SslHandler.class);
              c.channel().attr(EchoTlsInfo.KEY).set(EchoTlsInfo.of(ssl.engine().getSession(),
                  c.channel().attr(EchoTlsInfo.SNI).get(), ssl.applicationProtocol()));
              c.pipeline().remove(this);
            }
            c.fireUserEventTriggered(evt);
          }
        });
    super.replaceHandler(ctx, hostname, context);
  }
}
