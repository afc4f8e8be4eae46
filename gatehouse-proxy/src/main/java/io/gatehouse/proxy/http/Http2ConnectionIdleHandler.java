package io.gatehouse.proxy.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.DefaultHttp2GoAwayFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connection-level events of a downstream HTTP/2 connection; last handler of its pipeline
 * ({@code IdleTimeoutHandler → Http2FrameCodec → Http2MultiplexHandler → Http2ConnectionIdleHandler}).
 * A {@link DrainEvent} (the listener was removed) closes the connection gracefully: GOAWAY with the
 * highest stream id, a second later GOAWAY with the last stream id accepted, and the codec closes
 * once the streams in flight are done (the listener's drain timeout closes what is left). An idle
 * event closes the connection the same way when no stream is open, as the HTTP/1.1 path closes an
 * idle keep-alive connection.
 *
 * <p>
 * Messages do not reach it (the multiplexer hands stream frames to stream channels); anything that
 * does is released.
 */
final class Http2ConnectionIdleHandler extends ChannelInboundHandlerAdapter {
  /** Between the two GOAWAY frames of a drain: about one round trip, generously. */
  static final Duration DRAIN_NOTICE = Duration.ofSeconds(1);
  private static final Logger log = LoggerFactory.getLogger(Http2ConnectionIdleHandler.class);

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt == DrainEvent.INSTANCE) {
      drain(ctx);
    } else if (evt instanceof IdleStateEvent) {
      Http2FrameCodec codec = ctx.pipeline().get(Http2FrameCodec.class);
      if (codec == null || codec.connection().numActiveStreams() == 0) {
        ctx.close();
      }
    } else {
      ctx.fireUserEventTriggered(evt);
    }
  }

  /**
   * Two-step GOAWAY (RFC 9113 §6.8): first with the highest stream id, so requests the client sent
   * before seeing it are still served, then, {@link #DRAIN_NOTICE} later, with the last stream id
   * actually accepted; the codec closes once the streams in flight are done.
   */
  private static void drain(ChannelHandlerContext ctx) {
    ctx.writeAndFlush(new DefaultHttp2GoAwayFrame(Http2Error.NO_ERROR)
        .setExtraStreamIds(Integer.MAX_VALUE));
    ctx.executor().schedule(() -> {
      if (ctx.channel().isActive()) {
        ctx.writeAndFlush(new DefaultHttp2GoAwayFrame(Http2Error.NO_ERROR));
        ctx.close();
      }
    }, DRAIN_NOTICE.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ReferenceCountUtil.release(msg);
  }

  /**
   * A connection error of the codec (a flood limit, a protocol violation) is only reported here:
   * the codec itself sends GOAWAY with the error's code and closes, and closing first would send
   * GOAWAY NO_ERROR instead. Anything else closes the connection.
   */
  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("Downstream HTTP/2 connection {} failed", ctx.channel().remoteAddress(), cause);
    if (!(cause instanceof Http2Exception)) {
      ctx.close();
    }
  }
}
