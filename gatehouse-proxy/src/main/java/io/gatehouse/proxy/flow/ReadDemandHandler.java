package io.gatehouse.proxy.flow;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import org.jspecify.annotations.Nullable;

/**
 * Delivers exactly one inbound message per {@code read()} on a channel with auto-read off. Sits
 * right after the HTTP codec, which may decode several messages (a head, body parts, a pipelined
 * request) from one socket read: the surplus waits here until the next handler asks for it.
 *
 * <p>
 * Netty's {@code FlowControlHandler} does the same but (in 4.2) forgets a {@code read()} issued
 * during a read cycle once that cycle completes, stalling a connection that asks for its next
 * message from inside {@code channelRead}; that is exactly what the proxy handlers do.
 *
 * <p>
 * On {@code channelInactive} the queued messages are delivered at once, before the inactive event:
 * a close-delimited body's last part must arrive before the close, and the channel is deregistered
 * (its handlers removed) right after, so nothing could ask for them later. That surplus is at most
 * what one socket read decoded. Ownership: queued messages belong to this handler until delivered;
 * whatever is still queued when the handler is removed is released here.
 */
public final class ReadDemandHandler extends ChannelDuplexHandler {
  private final ArrayDeque<Object> queue = new ArrayDeque<>();
  private int demand;
  private boolean delivering;
  private @Nullable ChannelHandlerContext ctx;

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  /**
   * Keeps a socket read pending without asking for a message: what it brings waits here until
   * {@link #read} asks for it. An HTTP/1.1 connection calls this once its request was read whole,
   * so the transport keeps reading armed between requests instead of disarming it after each
   * request and arming it again for the next one (two {@code epoll_ctl} calls per request). Only
   * with nothing queued, so at most one socket read's messages wait here, as before.
   */
  public void prefetch() {
    ChannelHandlerContext c = ctx;
    if (c != null && queue.isEmpty()) {
      c.read();
    }
  }

  @Override
  public void read(ChannelHandlerContext ctx) {
    demand++;
    deliver(ctx);
    if (demand > 0 && queue.isEmpty()) {
      ctx.read();
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    queue.add(msg);
    deliver(ctx);
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (demand > 0 && queue.isEmpty()) {
      ctx.read(); // a read asked for during this cycle must reach the socket
    }
    ctx.fireChannelReadComplete();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    demand = Integer.MAX_VALUE;
    deliver(ctx);
    ctx.fireChannelInactive();
  }

  /** Whether decoded messages wait here for a {@code read()}. */
  public boolean hasQueued() {
    return !queue.isEmpty();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    for (Object msg; (msg = queue.poll()) != null;) {
      ReferenceCountUtil.release(msg);
    }
  }

  private void deliver(ChannelHandlerContext ctx) {
    if (delivering) {
      return; // a read() from inside fireChannelRead: the loop below picks it up
    }
    delivering = true;
    try {
      while (demand > 0 && !queue.isEmpty()) {
        demand--;
        ctx.fireChannelRead(queue.poll());
      }
    } finally {
      delivering = false;
    }
  }
}
