package io.gatehouse.proxy.http;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The stream idle timeout: fires {@link StreamIdleEvent} when nothing was read or written for the
 * timeout, on an HTTP/1.1 connection or an HTTP/2 stream channel, and again after each further
 * timeout without activity. {@link DownstreamHandler} cuts an exchange in progress on it (an idle
 * connection between requests is the idle timeout's business). A timeout of zero turns it off.
 *
 * <p>
 * Cheaper than an {@code IdleStateHandler} on the hot path: a write counts when it is issued (the
 * proxy issues the next write of an exchange only once the previous one completed, so the two
 * instants differ by one write at most), so no listener is added to any write, and one timer task
 * per connection is re-armed when it runs rather than per read or write. Confined to the channel's
 * event loop.
 */
final class StreamIdleHandler extends ChannelDuplexHandler {
  /** As {@code IdleStateHandler}: shorter timeouts are raised to this. */
  private static final long MIN_TIMEOUT_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  private final long timeoutNanos;
  private long lastActivity;
  /** Between a read and its read-complete: busy, never idle. */
  private boolean reading;
  private @Nullable ScheduledFuture<?> timer;
  /** 0 not started, 1 running, 2 stopped for good. */
  private int state;

  StreamIdleHandler(Duration timeout) {
    long millis = timeout.toMillis();
    this.timeoutNanos = millis <= 0
        ? 0
        : Math.max(TimeUnit.MILLISECONDS.toNanos(millis),
            MIN_TIMEOUT_NANOS);
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    if (ctx.channel().isActive() && ctx.channel().isRegistered()) {
      start(ctx);
    }
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    stop();
  }

  @Override
  public void channelRegistered(ChannelHandlerContext ctx) throws Exception {
    if (ctx.channel().isActive()) {
      start(ctx);
    }
    super.channelRegistered(ctx);
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    start(ctx);
    super.channelActive(ctx);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    stop();
    super.channelInactive(ctx);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    reading = true;
    ctx.fireChannelRead(msg);
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
    if (reading) {
      reading = false;
      lastActivity = System.nanoTime();
    }
    ctx.fireChannelReadComplete();
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    lastActivity = System.nanoTime();
    ctx.write(msg, promise);
  }

  private void start(ChannelHandlerContext ctx) {
    if (state != 0 || timeoutNanos == 0) {
      return;
    }
    state = 1;
    lastActivity = System.nanoTime();
    schedule(ctx, timeoutNanos);
  }

  private void stop() {
    state = 2;
    ScheduledFuture<?> t = timer;
    timer = null;
    if (t != null) {
      t.cancel(false);
    }
  }

  private void schedule(ChannelHandlerContext ctx, long delayNanos) {
    timer = ctx.executor().schedule(() -> expire(ctx), delayNanos, TimeUnit.NANOSECONDS);
  }

  private void expire(ChannelHandlerContext ctx) {
    if (state != 1 || !ctx.channel().isOpen()) {
      return;
    }
    long left = reading ? timeoutNanos : timeoutNanos - (System.nanoTime() - lastActivity);
    if (left > 0) {
      schedule(ctx, left);
      return;
    }
    schedule(ctx, timeoutNanos);
    ctx.fireUserEventTriggered(StreamIdleEvent.INSTANCE);
  }

  /** No bytes in either direction for the stream idle timeout. */
  enum StreamIdleEvent {
    INSTANCE
  }
}
