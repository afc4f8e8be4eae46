package io.gatehouse.proxy;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.DefaultHttp2WindowUpdateFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small h2c (HTTP/2 prior knowledge) server on 127.0.0.1: {@code /echo} answers the request body,
 * {@code /empty} answers 204 (a HEADERS frame that ends the stream), a path containing
 * {@code /hold} is never answered, anything else answers "H2". Every answer carries each request
 * header as {@code x-seen-<name>} (the HTTP/2 stream id among them, proving the request came over
 * HTTP/2).
 */
final class TestH2cUpstream implements AutoCloseable {
  final AtomicInteger connections = new AtomicInteger();
  /** Connections that were closed (by either side). */
  final AtomicInteger closed = new AtomicInteger();
  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1,
      NioIoHandler.newFactory());
  private final Channel server;

  TestH2cUpstream() {
    this.server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            connections.incrementAndGet();
            ch.closeFuture().addListener(f -> closed.incrementAndGet());
            ch.pipeline().addLast(
                Http2FrameCodecBuilder.forServer()
                    .initialSettings(Http2Settings.defaultSettings().initialWindowSize(1 << 20))
                    .build(),
                new ChannelInboundHandlerAdapter() {
                  @Override
                  public void channelActive(ChannelHandlerContext ctx) {
                    ctx.fireChannelActive();
                    ctx.writeAndFlush(new DefaultHttp2WindowUpdateFrame(8 << 20));
                  }
                },
                new Http2MultiplexHandler(new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel stream) {
                    stream.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(true),
                        new HttpObjectAggregator(16 << 20), new Responder());
                  }
                }));
          }
        }).bind("127.0.0.1", 0).syncUninterruptibly().channel();
  }

  int port() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  @Override
  public void close() {
    server.close().syncUninterruptibly();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  private static final class Responder extends SimpleChannelInboundHandler<FullHttpRequest> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
      if (req.uri().contains("/hold")) {
        return;
      }
      if (req.uri().startsWith("/empty")) {
        ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
            HttpResponseStatus.NO_CONTENT, Unpooled.EMPTY_BUFFER));
        return;
      }
      ByteBuf body = req.uri().startsWith("/echo")
          ? req.content().retain()
          : Unpooled.copiedBuffer("H2", StandardCharsets.UTF_8);
      FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
          body);
      HttpUtil.setContentLength(r, body.readableBytes());
      for (Map.Entry<String, String> h : req.headers()) {
        r.headers().add("x-seen-" + h.getKey().toLowerCase(Locale.ROOT), h.getValue());
      }
      ctx.writeAndFlush(r);
    }
  }
}
