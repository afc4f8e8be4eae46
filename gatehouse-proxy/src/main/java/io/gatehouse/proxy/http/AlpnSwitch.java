package io.gatehouse.proxy.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import java.util.function.Consumer;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After the TLS handshake of an HTTPS connection: when ALPN chose {@code h2}, replaces the HTTP/1.1
 * handlers with the HTTP/2 ones (the same switch, limits and stream pipeline as an h2c connection
 * with prior knowledge); with {@code http/1.1} or no ALPN the HTTP/1.1 handlers stay. Application
 * data decrypted before the switch is held and handed on after it. Removes itself once done; a
 * failed handshake closes the connection.
 */
final class AlpnSwitch extends ApplicationProtocolNegotiationHandler {
  private static final Logger log = LoggerFactory.getLogger(AlpnSwitch.class);

  private final Consumer<ChannelHandlerContext> toHttp2;

  /** @param toHttp2 switches the pipeline to HTTP/2; called at most once, on the event loop */
  AlpnSwitch(Consumer<ChannelHandlerContext> toHttp2) {
    super(ApplicationProtocolNames.HTTP_1_1);
    this.toHttp2 = toHttp2;
  }

  /** A failed handshake is routine at an edge (scanners, old clients): closed, logged at debug. */
  @Override
  protected void handshakeFailure(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("{} TLS handshake failed: {}", ctx.channel(), cause.toString());
    ctx.close();
  }

  /**
   * TLS errors as {@link #handshakeFailure}; anything else goes on to the handlers behind, which
   * handle it as on any connection (Netty's handler would log a warning and close).
   */
  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
    if (cause instanceof DecoderException && cause.getCause() instanceof SSLException) {
      super.exceptionCaught(ctx, cause);
    } else {
      ctx.fireExceptionCaught(cause);
    }
  }

  @Override
  protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
    if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
      toHttp2.accept(ctx);
    }
  }
}
