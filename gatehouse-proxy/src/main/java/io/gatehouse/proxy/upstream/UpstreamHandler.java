package io.gatehouse.proxy.upstream;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Last handler of an upstream connection's pipeline ({@code UpstreamHttpCodec → ReadDemandHandler →
 * IdleTimeoutHandler → UpstreamHandler}). Consumes {@link HttpObject}s and hands each to the
 * attached {@link UpstreamListener}, which then owns it. With no listener attached (the connection
 * sits idle in the pool) any message is unexpected: it is released here and the connection closed.
 * A connection that reaches the idle timeout (no bytes either way) is closed; with a listener
 * attached, the listener is told first ({@link UpstreamListener#onUpstreamIdle}).
 *
 * <p>
 * Confined to the channel's event loop, which is also the downstream connection's.
 */
public final class UpstreamHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(UpstreamHandler.class);

  private @Nullable UpstreamListener listener;
  private @Nullable ChannelHandlerContext ctx;
  /** A read was asked for and no message arrived yet: never ask twice. */
  private boolean readPending;

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  /** Asks for the next response part unless a read is already outstanding. */
  void read() {
    ChannelHandlerContext c = ctx;
    if (c != null && !readPending) {
      readPending = true;
      c.read();
    }
  }

  void attach(UpstreamListener l) {
    listener = l;
  }

  void detach() {
    listener = null;
  }

  boolean isAttached() {
    return listener != null;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    readPending = false;
    UpstreamListener l = listener;
    if (l == null || !(msg instanceof HttpObject o)) {
      ReferenceCountUtil.release(msg);
      ctx.close();
      return;
    }
    l.onUpstreamMessage(o);
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    UpstreamListener l = listener;
    if (l != null) {
      l.onUpstreamReadComplete();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    UpstreamListener l = listener;
    listener = null;
    if (l != null) {
      l.onUpstreamClosed();
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof IdleStateEvent) {
      UpstreamListener l = listener;
      if (l != null) {
        log.debug("Upstream {} idle during an exchange", ctx.channel().remoteAddress());
        l.onUpstreamIdle();
      }
      ctx.close();
    }
    ReferenceCountUtil.release(evt);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("Upstream {} failed", ctx.channel().remoteAddress(), cause);
    ctx.close();
  }
}
