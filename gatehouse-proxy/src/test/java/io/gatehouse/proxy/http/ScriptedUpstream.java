package io.gatehouse.proxy.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
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
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP/1.1 test backend on 127.0.0.1 (ephemeral port) that fails on purpose, counting requests
 * per key (the path's second segment). By path, while the key has been seen at most {@code n} times
 * (query parameter, default 0): {@code /reset/<key>} reads the whole request and resets the
 * connection (SO_LINGER 0), {@code /status/<key>?code=C} answers status C, {@code /hang/<key>}
 * never answers. Otherwise, and for any other path, it answers 200 with body
 * {@code <method> <count> <request body>}. Every request is recorded.
 */
final class ScriptedUpstream implements AutoCloseable {
  /** One request as received. */
  record Seen(String method, String uri, Map<String, String> headers, String body) {
  }

  final List<Seen> seen = new CopyOnWriteArrayList<>();
  private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1,
      NioIoHandler.newFactory());
  private final Channel server;

  ScriptedUpstream() {
    server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            ch.pipeline().addLast(new HttpServerCodec(), new HttpServerKeepAliveHandler(),
                new HttpObjectAggregator(1 << 20), new Responder());
          }
        }).bind("127.0.0.1", 0).syncUninterruptibly().channel();
  }

  int port() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  /** How many requests arrived for {@code key}. */
  int count(String key) {
    AtomicInteger n = counts.get(key);
    return n == null ? 0 : n.get();
  }

  @Override
  public void close() {
    server.close().syncUninterruptibly();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  private final class Responder extends SimpleChannelInboundHandler<FullHttpRequest> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
      String body = req.content().toString(StandardCharsets.UTF_8);
      Map<String, String> headers = new ConcurrentHashMap<>();
      req.headers().forEach(h -> headers.put(h.getKey().toLowerCase(java.util.Locale.ROOT),
          h.getValue()));
      seen.add(new Seen(req.method().name(), req.uri(), headers, body));
      QueryStringDecoder q = new QueryStringDecoder(req.uri());
      String[] parts = q.path().split("/");
      String kind = parts.length > 1 ? parts[1] : "";
      String key = parts.length > 2 ? parts[2] : "";
      int count = counts.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
      int failFor = Integer.parseInt(param(q, "n", "0"));
      if (count <= failFor) {
        switch (kind) {
          case "reset" -> {
            ctx.channel().config().setOption(ChannelOption.SO_LINGER, 0);
            ctx.close();
            return;
          }
          case "status" -> {
            ctx.writeAndFlush(response(
                HttpResponseStatus.valueOf(Integer.parseInt(param(q, "code", "500"))), "fail"));
            return;
          }
          case "hang" -> {
            return;
          }
          default -> {
          }
        }
      }
      ctx.writeAndFlush(response(HttpResponseStatus.OK,
          req.method().name() + " " + count + " " + body));
    }

    private String param(QueryStringDecoder q, String name, String fallback) {
      List<String> v = q.parameters().get(name);
      return v == null || v.isEmpty() ? fallback : v.get(0);
    }

    private FullHttpResponse response(HttpResponseStatus status, String text) {
      ByteBuf body = Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
      FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
      HttpUtil.setContentLength(r, body.readableBytes());
      return r;
    }
  }
}
