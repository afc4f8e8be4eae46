package io.gatehouse.proxy.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;

/**
 * Sits in a listener's server-channel pipeline, in front of the bootstrap's acceptor, and closes an
 * accepted connection whose peer the {@link PenaltyBox} refuses before it is registered with an
 * event loop: no pipeline, no TLS handshake, no HTTP/2 preface, no timers. The socket is closed
 * with a reset (SO_LINGER 0), so the proxy keeps no TIME_WAIT state for it. Other connections pass
 * on unchanged. Sharable: one instance per listener, state in the box.
 */
@ChannelHandler.Sharable
public final class PenaltyGate extends ChannelInboundHandlerAdapter {
  private final PenaltyBox box;

  public PenaltyGate(PenaltyBox box) {
    this.box = box;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof Channel child && box.refuses(child.remoteAddress())) {
      try {
        child.config().setOption(ChannelOption.SO_LINGER, 0);
      } catch (RuntimeException notSupported) {
        // a plain close (FIN) then
      }
      child.unsafe().closeForcibly();
      return;
    }
    ctx.fireChannelRead(msg);
  }
}
