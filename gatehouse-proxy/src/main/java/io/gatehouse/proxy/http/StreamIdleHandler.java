package io.gatehouse.proxy.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The stream idle timeout: fires {@link StreamIdleEvent} when nothing was read or written for the
 * timeout, on an HTTP/1.1 connection or an HTTP/2 stream channel. {@link DownstreamHandler} cuts an
 * exchange in progress on it (an idle connection between requests is the idle timeout's business).
 */
final class StreamIdleHandler extends IdleStateHandler {
  StreamIdleHandler(Duration timeout) {
    super(0, 0, timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent evt) {
    ctx.fireUserEventTriggered(StreamIdleEvent.INSTANCE);
  }

  /** No bytes in either direction for the stream idle timeout. */
  enum StreamIdleEvent {
    INSTANCE
  }
}
