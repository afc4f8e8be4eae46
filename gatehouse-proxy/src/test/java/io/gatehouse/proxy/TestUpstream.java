package io.gatehouse.proxy;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small HTTP/1.1 server on 127.0.0.1 (ephemeral port) that the proxy forwards to. By path:
 * {@code /echo} answers the request body, {@code /slow} answers after 300 ms, {@code /reset} closes
 * without answering, {@code /chunked} answers in three chunks, {@code /close-delimited} answers
 * without framing and closes, {@code /close-after} answers with a length (keep-alive) and then
 * closes, {@code /truncate} closes in the middle of a chunked body, {@code /garbage} answers bytes
 * that are not HTTP; anything else answers the upstream's name. Every answer carries
 * {@code x-upstream}, the request target as {@code x-seen-uri} and each request header as
 * {@code x-seen-<name>}.
 */
final class TestUpstream implements AutoCloseable {
  final String name;
  final AtomicInteger connections = new AtomicInteger();
  final AtomicInteger requests = new AtomicInteger();
  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1,
      NioIoHandler.newFactory());
  private final Channel server;

  TestUpstream(String name) {
    this.name = name;
    this.server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            connections.incrementAndGet();
            ch.pipeline().addLast(new HttpServerCodec(), new HttpServerKeepAliveHandler(),
                new HttpObjectAggregator(64 << 20), new Responder());
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

  private final class Responder extends SimpleChannelInboundHandler<FullHttpRequest> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
      requests.incrementAndGet();
      String path = req.uri().replaceFirst("\\?.*", "");
      switch (path) {
        case "/echo" -> ctx.writeAndFlush(full(req, req.content().retain()));
        case "/slow" -> {
          FullHttpResponse r = full(req, text(name));
          ctx.executor().schedule(() -> ctx.writeAndFlush(r), 300, TimeUnit.MILLISECONDS);
        }
        case "/reset" -> ctx.close();
        case "/chunked" -> {
          HttpResponse r = head(req);
          HttpUtil.setTransferEncodingChunked(r, true);
          ctx.write(r);
          ctx.write(new DefaultHttpContent(text("one,")));
          ctx.write(new DefaultHttpContent(text("two,")));
          ctx.writeAndFlush(new DefaultLastHttpContent(text("three")));
        }
        case "/trailers" -> {
          HttpResponse r = head(req);
          HttpUtil.setTransferEncodingChunked(r, true);
          ctx.write(r);
          ctx.write(new DefaultHttpContent(text("body")));
          LastHttpContent last = new DefaultLastHttpContent();
          last.trailingHeaders().set("x-checksum", "42");
          ctx.writeAndFlush(last);
        }
        case "/close-delimited" -> {
          HttpResponse r = head(req);
          r.headers().set(HttpHeaderNames.CONNECTION, "close");
          ctx.write(r);
          ctx.writeAndFlush(new DefaultLastHttpContent(text("until close")))
              .addListener(ChannelFutureListener.CLOSE);
        }
        case "/truncate" -> {
          HttpResponse r = head(req);
          HttpUtil.setTransferEncodingChunked(r, true);
          ctx.write(r);
          ctx.writeAndFlush(new DefaultHttpContent(text("partial")))
              .addListener(ChannelFutureListener.CLOSE);
        }
        case "/garbage" -> ctx.pipeline().firstContext() // below the codec: raw bytes
            .writeAndFlush(text("NOT HTTP AT ALL\r\n\r\n"))
            .addListener(ChannelFutureListener.CLOSE);
        case "/close-after" -> ctx.writeAndFlush(full(req, text(name)))
            .addListener(ChannelFutureListener.CLOSE);
        default -> ctx.writeAndFlush(full(req, text(name)));
      }
    }

    private HttpResponse head(FullHttpRequest req) {
      HttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
      decorate(req, r);
      return r;
    }

    private FullHttpResponse full(FullHttpRequest req, ByteBuf body) {
      FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
          body);
      decorate(req, r);
      HttpUtil.setContentLength(r, body.readableBytes());
      return r;
    }

    private void decorate(FullHttpRequest req, HttpResponse r) {
      r.headers().set("x-upstream", name);
      r.headers().set("x-seen-uri", req.uri());
      for (Map.Entry<String, String> h : req.headers()) {
        r.headers().add("x-seen-" + h.getKey().toLowerCase(java.util.Locale.ROOT), h.getValue());
      }
    }

    private ByteBuf text(String s) {
      return Unpooled.copiedBuffer(s, StandardCharsets.UTF_8);
    }
  }
}
