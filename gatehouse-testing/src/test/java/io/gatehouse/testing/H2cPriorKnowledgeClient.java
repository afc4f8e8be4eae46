package io.gatehouse.testing;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A minimal cleartext HTTP/2 client with prior knowledge (no upgrade), one connection, a stream per
 * request. Built from Netty's frame codec, as the conformance suite's {@code H2C_PRIOR_KNOWLEDGE}.
 */
final class H2cPriorKnowledgeClient implements AutoCloseable {

  /** A response; {@code resetCode} is set instead when the server reset the stream. */
  record Response(int status, Http2Headers headers, String body, Long resetCode) {
  }

  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1,
      NioIoHandler.newFactory());
  private final Channel channel;

  H2cPriorKnowledgeClient(InetSocketAddress server) {
    try {
      channel = new Bootstrap().group(group).channel(NioSocketChannel.class)
          .handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
              ch.pipeline().addLast(Http2FrameCodecBuilder.forClient().build(),
                  new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()));
            }
          }).connect(server).syncUninterruptibly().channel();
    } catch (RuntimeException e) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw e;
    }
  }

  /** Sends a GET on a new stream; the future completes at the end of the response stream. */
  CompletableFuture<Response> get(String path, String authority, CharSequence... headerPairs) {
    CompletableFuture<Response> response = new CompletableFuture<>();
    Http2Headers headers = new DefaultHttp2Headers().method("GET").scheme("http").path(path)
        .authority(authority);
    for (int i = 0; i + 1 < headerPairs.length; i += 2) {
      headers.add(headerPairs[i], headerPairs[i + 1]);
    }
    new Http2StreamChannelBootstrap(channel).handler(new ResponseCollector(response)).open()
        .addListener(opened -> {
          if (opened.isSuccess()) {
            ((Http2StreamChannel) opened.getNow())
                .writeAndFlush(new DefaultHttp2HeadersFrame(headers, true));
          } else {
            response.completeExceptionally(opened.cause());
          }
        });
    return response;
  }

  @Override
  public void close() {
    channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }

  /** Last handler of a client stream channel; releases every frame it reads. */
  private static final class ResponseCollector extends ChannelInboundHandlerAdapter {

    private final CompletableFuture<Response> response;
    private final StringBuilder body = new StringBuilder();
    private Http2Headers headers;

    ResponseCollector(CompletableFuture<Response> response) {
      this.response = response;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      try {
        if (msg instanceof Http2HeadersFrame frame && headers == null) {
          headers = frame.headers();
        } else if (msg instanceof Http2DataFrame data) {
          body.append(data.content().toString(StandardCharsets.UTF_8));
        }
        boolean end = msg instanceof Http2HeadersFrame h && h.isEndStream()
            || msg instanceof Http2DataFrame d && d.isEndStream();
        if (end) {
          response.complete(new Response(Integer.parseInt(headers.status().toString()), headers,
              body.toString(), null));
        }
      } finally {
        ReferenceCountUtil.release(msg);
      }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      // Http2MultiplexHandler hands RST_STREAM to stream channels as a user event.
      if (evt instanceof Http2ResetFrame reset) {
        response.complete(new Response(0, null, null, reset.errorCode()));
      }
      ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      response.completeExceptionally(
          new IllegalStateException("Stream closed before the response ended"));
    }
  }
}
