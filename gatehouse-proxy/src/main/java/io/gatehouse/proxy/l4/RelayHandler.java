package io.gatehouse.proxy.l4;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;

/**
 * Relays everything its channel reads to {@code peer}, unchanged; the last handler of both the
 * client and the backend channel of an L4 connection, one instance each.
 *
 * <p>
 * Backpressure: both channels run with auto-read off. After a batch of reads is flushed to the
 * peer, this channel reads again only while the peer is writable; when the peer's outbound buffer
 * drains below its low water mark, the peer's relay asks this channel to read again.
 *
 * <p>
 * Half-close: when this channel's input ends (the sender shut down its side; channels run with
 * {@code ALLOW_HALF_CLOSURE}), the peer's output is shut down after what is pending is flushed, and
 * the connection closes once both directions have ended. Over TLS, where a half-close cannot be
 * relayed, the peer is closed instead. Either channel closing closes the other after a flush.
 *
 * <p>
 * Buffers: each message read is handed to {@code peer.write}, which owns it from then on; a message
 * read after the peer is gone is released here.
 */
final class RelayHandler extends ChannelInboundHandlerAdapter {
  private final Channel peer;

  RelayHandler(Channel peer) {
    this.peer = peer;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!peer.isActive()) {
      ReferenceCountUtil.release(msg);
      return;
    }
    peer.write(msg).addListener((ChannelFutureListener) f -> {
      if (!f.isSuccess()) {
        closeBoth(ctx.channel());
      }
    });
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    peer.flush();
    if (peer.isWritable()) {
      ctx.read();
    }
    // Otherwise the peer's relay calls read() on this channel when the peer becomes writable.
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (ctx.channel().isWritable()) {
      peer.read();
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof ChannelInputShutdownEvent) {
      shutdownPeerOutput(ctx.channel());
    } else if (evt instanceof IdleStateEvent) {
      closeBoth(ctx.channel());
    }
    ReferenceCountUtil.release(evt);
  }

  private void shutdownPeerOutput(Channel self) {
    if (peer instanceof DuplexChannel duplex && peer.pipeline().get(SslHandler.class) == null
        && self.pipeline().get(SslHandler.class) == null) {
      peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> duplex.shutdownOutput()
          .addListener(s -> {
            if (self instanceof DuplexChannel me && me.isOutputShutdown()) {
              closeBoth(self);
            }
          }));
      if (self instanceof DuplexChannel me && me.isOutputShutdown()) {
        closeBoth(self);
      }
    } else {
      flushAndClose(peer);
      self.close();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    flushAndClose(peer);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    closeBoth(ctx.channel());
  }

  private void closeBoth(Channel self) {
    self.close();
    flushAndClose(peer);
  }

  static void flushAndClose(Channel ch) {
    if (ch.isActive()) {
      ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    } else {
      ch.close();
    }
  }
}
