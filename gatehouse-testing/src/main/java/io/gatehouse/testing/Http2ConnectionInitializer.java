package io.gatehouse.testing;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerAdapter;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;

/**
 * Turns a connection into an HTTP/2 echo connection. Added once per connection, by
 * {@code CleartextHttp2ServerUpgradeHandler} on a prior-knowledge preface or by
 * {@code Http2ServerUpgradeCodec} after an {@code Upgrade: h2c}; in its {@code handlerAdded} it
 * removes the HTTP/1 handlers named by {@link EchoServerInitializer}, adds the HTTP/2 codecs after
 * itself when asked to (prior knowledge; the upgrade codec adds its own), then removes itself. It
 * never sees a message.
 */
final class Http2ConnectionInitializer extends ChannelHandlerAdapter {

  private final EchoResponder responder;
  private final boolean addCodecs;

  private Http2ConnectionInitializer(EchoResponder responder, boolean addCodecs) {
    this.responder = responder;
    this.addCodecs = addCodecs;
  }

  /** For a prior-knowledge connection: adds the frame codec and multiplexer. */
  static Http2ConnectionInitializer priorKnowledge(EchoResponder responder) {
    return new Http2ConnectionInitializer(responder, true);
  }

  /** For an upgraded connection, where {@code Http2ServerUpgradeCodec} adds the codecs. */
  static Http2ConnectionInitializer afterUpgrade() {
    return new Http2ConnectionInitializer(null, false);
  }

  static Http2FrameCodec frameCodec() {
    return Http2FrameCodecBuilder.forServer().build();
  }

  /** One {@link Http2EchoStreamHandler} per stream channel. */
  static Http2MultiplexHandler multiplexer(EchoResponder responder) {
    return new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
      @Override
      protected void initChannel(Http2StreamChannel stream) {
        stream.pipeline().addLast(new Http2EchoStreamHandler(responder));
      }
    });
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    ChannelPipeline pipeline = ctx.pipeline();
    for (String http1 : EchoServerInitializer.HTTP1_HANDLERS) {
      if (pipeline.get(http1) != null) {
        pipeline.remove(http1);
      }
    }
    if (addCodecs) {
      // The multiplexer looks for the frame codec when added, so the codec goes in first.
      ChannelHandler codec = frameCodec();
      pipeline.addAfter(ctx.name(), null, codec);
      pipeline.addAfter(pipeline.context(codec).name(), null, multiplexer(responder));
    }
    pipeline.remove(this);
  }
}
