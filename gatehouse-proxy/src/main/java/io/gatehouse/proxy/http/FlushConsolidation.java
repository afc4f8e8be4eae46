package io.gatehouse.proxy.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.flush.FlushConsolidationHandler;

/**
 * Netty's {@link FlushConsolidationHandler} for a downstream HTTP/2 connection, except that it
 * never flushes when the channel turns unwritable.
 *
 * <p>
 * The connection turns unwritable inside a write: the outbound buffer fires the writability event
 * synchronously from the {@code write} that crosses its high-water mark. The HTTP/2 codec writes
 * one frame as several buffers (a DATA frame's 9-byte header, then its payload), and with a
 * client's large flow-control windows its flush writes more than the high-water mark at once, so
 * that event can arrive between a frame's header and its payload. Netty's handler then flushes to
 * the socket there, which completes the promises of what was written before; the proxy's listeners
 * on those promises read the next upstream message at once (an h2c upstream stream has it queued)
 * and write it (say the trailers of another stream) into the outbound buffer, ahead of the payload
 * the frame header announced: the client gets frames that no longer line up. Leaving the flush to
 * the points the handler flushes anyway (the end of the read burst, or its task on the event loop)
 * keeps every flush outside the codec's writes.
 */
final class FlushConsolidation extends FlushConsolidationHandler {
  FlushConsolidation() {
    super(DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true);
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    ctx.fireChannelWritabilityChanged();
  }
}
