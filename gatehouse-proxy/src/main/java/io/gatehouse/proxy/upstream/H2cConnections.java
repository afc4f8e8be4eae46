package io.gatehouse.proxy.upstream;

import io.gatehouse.proxy.flow.ReadDemandHandler;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http2.DefaultHttp2WindowUpdateFrame;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * HTTP/2 cleartext (prior knowledge) upstream connections: one multiplexed connection per event
 * loop and endpoint, one stream per forwarded request. A stream's pipeline ({@code
 * Http2StreamFrameToHttpObjectCodec → ReadDemandHandler → IdleStateHandler → UpstreamHandler})
 * speaks the same {@code HttpObject}s as an HTTP/1.1 connection, so the relay does not care which
 * it got; the stream is closed, never pooled, when its exchange ends.
 *
 * <p>
 * The upstream idle timeout applies as on HTTP/1.1: a stream with no bytes either way for that long
 * fails its exchange ({@link UpstreamListener#onUpstreamIdle}) and is reset; a connection with no
 * bytes either way for that long and no open stream is closed.
 *
 * <p>
 * The connection itself runs with auto-read on (every stream depends on it); backpressure is per
 * stream, through HTTP/2 flow control as the stream's messages are read on demand. Call on an event
 * loop only.
 */
final class H2cConnections {
  /**
   * Receive windows. HTTP/2's 64 KiB defaults make every response wait for window updates; these
   * let a stream and the whole connection have a few round trips' worth in flight. What is in
   * flight is still bounded: the proxy reads a stream only as fast as the client takes it.
   */
  private static final int STREAM_WINDOW = 1 << 20;
  private static final int CONNECTION_WINDOW = 8 << 20;
  private static final long MAX_HEADER_LIST = 32768;

  private final Bootstrap bootstrap;
  private final FastThreadLocal<Map<InetSocketAddress, ChannelFuture>> connections = new FastThreadLocal<>() {
    @Override
    protected Map<InetSocketAddress, ChannelFuture> initialValue() {
      return new HashMap<>();
    }
  };

  private final long idleMillis;

  H2cConnections(Bootstrap http1Bootstrap, Duration idleTimeout) {
    this.idleMillis = idleTimeout.toMillis();
    this.bootstrap = http1Bootstrap.clone().option(ChannelOption.AUTO_READ, true)
        .handler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            ch.pipeline().addLast(
                Http2FrameCodecBuilder.forClient()
                    .initialSettings(Http2Settings.defaultSettings()
                        .initialWindowSize(STREAM_WINDOW).maxHeaderListSize(MAX_HEADER_LIST))
                    .build(),
                new IdleStateHandler(0, 0, idleMillis, TimeUnit.MILLISECONDS),
                new CloseWhenIdle(),
                new Http2MultiplexHandler(new RejectPushedStreams()));
          }
        });
  }

  /** Opens a stream, connecting first when this loop has no live connection to the endpoint. */
  Future<Http2StreamChannel> openStream(EventLoop loop, InetSocketAddress endpoint) {
    Map<InetSocketAddress, ChannelFuture> map = connections.get();
    ChannelFuture parent = map.get(endpoint);
    if (parent == null || parent.isDone() && !parent.channel().isActive()) {
      ChannelFuture f = bootstrap.clone(loop).connect(endpoint);
      f.addListener((ChannelFuture c) -> {
        if (c.isSuccess()) { // the connection window grows only by WINDOW_UPDATE on stream 0
          c.channel().writeAndFlush(
              new DefaultHttp2WindowUpdateFrame(
                  CONNECTION_WINDOW - Http2CodecUtil.DEFAULT_WINDOW_SIZE));
        }
      });
      map.put(endpoint, f);
      f.channel().closeFuture().addListener(x -> map.remove(endpoint, f));
      parent = f;
    }
    Promise<Http2StreamChannel> stream = loop.newPromise();
    parent.addListener((ChannelFuture f) -> {
      if (!f.isSuccess()) {
        stream.tryFailure(f.cause());
        return;
      }
      new Http2StreamChannelBootstrap(f.channel()).option(ChannelOption.AUTO_READ, false)
          .handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
              ch.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(false),
                  new ReadDemandHandler(),
                  new IdleStateHandler(0, 0, idleMillis, TimeUnit.MILLISECONDS),
                  new UpstreamHandler());
            }
          }).open(stream);
    });
    return stream;
  }

  /**
   * Closes the connection when it was idle for the timeout with no stream open; an open stream's
   * own idle timer governs it (a silent stream fails its exchange with 504 rather than with a
   * closed connection).
   */
  private static final class CloseWhenIdle extends ChannelInboundHandlerAdapter {
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof IdleStateEvent) {
        Http2FrameCodec codec = ctx.pipeline().get(Http2FrameCodec.class);
        if (codec == null || codec.connection().numActiveStreams() == 0) {
          ctx.close();
        }
        return;
      }
      ctx.fireUserEventTriggered(evt);
    }
  }

  /** Server-initiated streams (push) are not supported: drop what arrives on them. */
  private static final class RejectPushedStreams extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ReferenceCountUtil.release(msg);
      ctx.close();
    }
  }
}
