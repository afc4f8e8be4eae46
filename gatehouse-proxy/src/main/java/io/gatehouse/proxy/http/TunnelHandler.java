package io.gatehouse.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One direction of an upgraded (WebSocket) connection: the bytes this channel reads are written to
 * the peer channel unchanged. Last handler of both pipelines once {@link WebSocketTunnel} switched
 * them, after {@link io.gatehouse.proxy.flow.ReadDemandHandler}.
 *
 * <p>
 * Backpressure as in Netty's HexDumpProxy: auto-read is off and the next read is asked for only
 * when the previous write to the peer completed, so per direction at most one read's worth of bytes
 * is ever held by the proxy beyond the two sockets' kernel buffers, whatever the other end does.
 * When either channel closes, the other is closed once its pending write is flushed. An idle
 * timeout (no bytes either way on the client connection) closes both.
 *
 * <p>
 * Ownership: a buffer read here is handed to the peer's write, which releases it. The only
 * non-buffer message expected is the empty end of the handshake request still queued at the switch,
 * released here; any other message (an HTTP request the client pipelined behind its handshake,
 * which RFC 6455 §4.1 forbids) is released and closes the tunnel.
 */
final class TunnelHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(TunnelHandler.class);

  private final Channel peer;

  TunnelHandler(Channel peer) {
    this.peer = peer;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof ByteBuf bytes) {
      peer.writeAndFlush(bytes).addListener((ChannelFutureListener) f -> {
        if (f.isSuccess()) {
          ctx.read();
        } else {
          ctx.close();
        }
      });
    } else if (msg instanceof LastHttpContent last && !last.content().isReadable()
        && last.trailingHeaders().isEmpty()) {
      last.release();
      ctx.read();
    } else {
      ReferenceCountUtil.release(msg);
      ctx.close();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    closeOnFlush(peer);
    ctx.fireChannelInactive();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof IdleStateEvent) {
      ctx.close();
    } else if (evt != DrainEvent.INSTANCE) {
      // A draining listener lets an open tunnel run until its drain timeout closes it.
      ctx.fireUserEventTriggered(evt);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("Tunnel {} failed", ctx.channel(), cause);
    ctx.close();
  }

  static void closeOnFlush(Channel ch) {
    if (ch.isActive()) {
      ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }
  }
}
