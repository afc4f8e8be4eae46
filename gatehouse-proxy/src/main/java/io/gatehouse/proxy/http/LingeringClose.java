package io.gatehouse.proxy.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.ssl.SslHandler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Closes a refused HTTP/1.1 connection so that the client still reads the refusal: once the
 * response is written, the sending side is shut down (FIN) and whatever the client still sends is
 * read and dropped (by {@link Http1FramingScanner}, which refuses everything after a violation)
 * until it closes too or {@link #LINGER} passed. Closing at once with unread request bytes in the
 * socket would make the kernel answer with a reset, which can destroy the response before the
 * client reads it (nginx's {@code lingering_close} does the same). TLS connections close at once.
 */
final class LingeringClose implements ChannelFutureListener {
  static final Duration LINGER = Duration.ofSeconds(2);
  static final LingeringClose INSTANCE = new LingeringClose();

  private LingeringClose() {
  }

  /**
   * Writes a refusal and closes the connection after it, lingering on HTTP/1.1 cleartext. The
   * response is written from behind {@link Http1RequestValidator}, so that it passes the codec but
   * not {@code HttpServerKeepAliveHandler}, which would close at once; on other pipelines it goes
   * out from {@code ctx} and the connection closes when it is written.
   */
  static ChannelFuture respondAndClose(ChannelHandlerContext ctx, FullHttpResponse response) {
    ChannelHandlerContext behindCodec = ctx.pipeline().context(Http1RequestValidator.class);
    if (behindCodec == null) {
      return ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
    return behindCodec.writeAndFlush(response).addListener(INSTANCE);
  }

  @Override
  public void operationComplete(ChannelFuture f) {
    Channel ch = f.channel();
    Http1FramingScanner scanner = ch.pipeline().get(Http1FramingScanner.class);
    if (!f.isSuccess() || !(ch instanceof DuplexChannel d) || scanner == null
        || ch.pipeline().get(SslHandler.class) != null) {
      ch.close();
      return;
    }
    scanner.refuseRest();
    d.shutdownOutput().addListener((ChannelFutureListener) s -> {
      if (!s.isSuccess()) {
        ch.close();
        return;
      }
      ch.eventLoop().schedule(() -> ch.close(), LINGER.toMillis(), TimeUnit.MILLISECONDS);
      ch.config().setAutoRead(true);
      ch.read();
    });
  }
}
