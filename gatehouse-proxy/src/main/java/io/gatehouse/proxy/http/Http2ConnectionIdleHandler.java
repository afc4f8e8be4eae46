package io.gatehouse.proxy.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connection-level events of a downstream HTTP/2 connection; last handler of its pipeline
 * ({@code IdleStateHandler → Http2FrameCodec → Http2MultiplexHandler → Http2ConnectionIdleHandler}).
 * A {@link DrainEvent} (the listener was removed) closes the connection gracefully: Netty's codec
 * sends GOAWAY with the last stream id it accepted and closes once the streams in flight are done
 * (the listener's drain timeout closes what is left). An idle event closes the connection the same
 * way when no stream is open, as the HTTP/1.1 path closes an idle keep-alive connection.
 *
 * <p>
 * Messages do not reach it (the multiplexer hands stream frames to stream channels); anything that
 * does is released.
 */
final class Http2ConnectionIdleHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(Http2ConnectionIdleHandler.class);

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt == DrainEvent.INSTANCE) {
      ctx.close();
    } else if (evt instanceof IdleStateEvent) {
      Http2FrameCodec codec = ctx.pipeline().get(Http2FrameCodec.class);
      if (codec == null || codec.connection().numActiveStreams() == 0) {
        ctx.close();
      }
    } else {
      ctx.fireUserEventTriggered(evt);
    }
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
