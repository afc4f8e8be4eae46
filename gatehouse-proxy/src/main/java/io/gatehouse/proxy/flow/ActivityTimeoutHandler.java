package io.gatehouse.proxy.flow;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Fires an event (chosen by the subclass) when nothing was read or written on a channel for a
 * timeout, and again after each further timeout without activity. The connection idle timeout
 * ({@link IdleTimeoutHandler}) and the stream idle timeout ({@code StreamIdleHandler}) are this
 * with their own events.
 *
 * <p>
 * Cheaper on the hot path than Netty's {@code IdleStateHandler}, which adds a listener to every
 * write's promise (and so makes every promise non-void and notified) and keeps read and write times
 * apart: here a write counts when it is issued (the proxy issues the next write of an exchange only
 * once the previous one completed, or flushes them together, so issue and completion differ by one
 * write at most), a read when its batch completes, and one timer task per channel is re-armed when
 * it runs rather than per read or write. A timeout of zero turns it off. Passes every message on
 * untouched; owns nothing. Confined to the channel's event loop.
 */
public abstract class ActivityTimeoutHandler extends ChannelDuplexHandler {
  /** As {@code IdleStateHandler}: shorter timeouts are raised to this. */
  private static final long MIN_TIMEOUT_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  private final long timeoutNanos;
  private long lastActivity;
  /** Between a read and its read-complete: busy, never idle. */
  private boolean reading;
  private boolean firstEvent = true;
  private @Nullable ScheduledFuture<?> timer;
  /** 0 not started, 1 running, 2 stopped for good. */
  private int state;

  protected ActivityTimeoutHandler(Duration timeout) {
    long millis = timeout.toMillis();
    this.timeoutNanos = millis <= 0
        ? 0
        : Math.max(TimeUnit.MILLISECONDS.toNanos(millis), MIN_TIMEOUT_NANOS);
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
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    reading = true;
    firstEvent = true;
    ctx.fireChannelRead(msg);
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (reading) {
      reading = false;
      lastActivity = System.nanoTime();
    }
    ctx.fireChannelReadComplete();
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    lastActivity = System.nanoTime();
    firstEvent = true;
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
    Object event = idleEvent(firstEvent);
    firstEvent = false;
    ctx.fireUserEventTriggered(event);
  }

  /**
   * The event fired when the timeout passes without activity.
   *
   * @param first whether it is the first since the last activity
   */
  protected abstract Object idleEvent(boolean first);
}
