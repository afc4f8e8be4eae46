package io.gatehouse.proxy.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;

/**
 * First handler of every HTTP/2 stream channel ({@link Http2StreamInitializer}): holds the stream's
 * first frames until the connection's current read burst is over (a task on the event loop runs
 * after the I/O of this loop iteration), then passes them on and gets out of the way. A stream the
 * client reset within the same burst (rapid reset: HEADERS and RST_STREAM written together) is
 * closed by then: its frames are dropped here, its channel closed, and no request is routed,
 * validated or sent upstream, so an attacker's reset streams cost the proxy the frame decoding and
 * the stream channel only.
 *
 * <p>
 * Ownership: held frames belong to this handler until passed on; it releases them when the stream
 * closes first (or the handler is removed). The read-complete events of the burst are held too and
 * one is fired after the frames.
 */
final class StreamStartGate extends ChannelInboundHandlerAdapter {
  private ArrayDeque<Object> held = new ArrayDeque<>();
  private boolean readComplete;
  private boolean scheduled;

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (held == null) {
      ctx.fireChannelRead(msg);
      return;
    }
    held.add(msg);
    if (!scheduled) {
      scheduled = true;
      ctx.executor().execute(() -> open(ctx));
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (held == null) {
      ctx.fireChannelReadComplete();
    } else {
      readComplete = true;
    }
  }

  /**
   * The burst is over: a stream still open gets its frames. A reset one is dropped and its channel
   * closed: Netty closes a stream channel with auto-read off only once it reads the end of the
   * stream, so it may still be active here although its stream is closed.
   */
  private void open(ChannelHandlerContext ctx) {
    ArrayDeque<Object> frames = held;
    if (frames == null || ctx.isRemoved()) {
      return;
    }
    if (ctx.channel() instanceof Http2StreamChannel stream
        && stream.stream().state() == Http2Stream.State.CLOSED) {
      drop();
      ctx.close();
      return;
    }
    held = null;
    for (Object msg; (msg = frames.poll()) != null;) {
      ctx.fireChannelRead(msg);
    }
    if (readComplete) {
      ctx.fireChannelReadComplete();
    }
    ctx.pipeline().remove(this);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    drop();
    ctx.fireChannelInactive();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    drop();
  }

  private void drop() {
    ArrayDeque<Object> frames = held;
    held = null;
    if (frames != null) {
      for (Object msg; (msg = frames.poll()) != null;) {
        ReferenceCountUtil.release(msg);
      }
    }
  }
}
