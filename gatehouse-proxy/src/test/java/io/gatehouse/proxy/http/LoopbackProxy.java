package io.gatehouse.proxy.http;

import io.gatehouse.model.Cluster;
import io.gatehouse.model.HttpListener;
import io.gatehouse.model.Route;
import io.gatehouse.model.VirtualHost;
import io.gatehouse.proxy.route.RouteTable;
import io.gatehouse.proxy.upstream.UpstreamPool;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP proxy handler chain on 127.0.0.1 (ephemeral port, one event loop) serving the given
 * routes for any host, with a small client that sends one request per connection and reads the
 * response to EOF.
 */
final class LoopbackProxy implements AutoCloseable {
  private final EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1,
      NioIoHandler.newFactory());
  private final Channel server;

  LoopbackProxy(List<Route> routes, Map<String, Cluster> clusters) {
    RouteTable table = RouteTable.of(new HttpListener("l", "127.0.0.1", 80, List.of(
        new VirtualHost(List.of("*"), routes))), clusters);
    server = new ServerBootstrap().group(loop).channel(NioServerSocketChannel.class)
        .childHandler(new ServerInitializer(() -> table,
            new UpstreamPool(NioSocketChannel.class, Duration.ofSeconds(1), 4),
            new DefaultChannelGroup(GlobalEventExecutor.INSTANCE), ListenerOrigin.http(80), null))
        .bind(new InetSocketAddress("127.0.0.1", 0)).syncUninterruptibly().channel();
  }

  /** Sends {@code method path} with {@code body} (none when null) and {@code Connection: close}. */
  String request(String method, String path, String body) throws IOException {
    byte[] b = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    String head = method + " " + path + " HTTP/1.1\r\nHost: t\r\nConnection: close\r\n"
        + (body == null ? "" : "Content-Length: " + b.length + "\r\n") + "\r\n";
    try (Socket s = new Socket("127.0.0.1",
        ((InetSocketAddress) server.localAddress()).getPort())) {
      s.setSoTimeout(15_000);
      OutputStream out = s.getOutputStream();
      out.write(head.getBytes(StandardCharsets.US_ASCII));
      out.write(b);
      out.flush();
      InputStream in = s.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  String get(String path) throws IOException {
    return request("GET", path, null);
  }

  @Override
  public void close() {
    server.close().syncUninterruptibly();
    loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
