package io.gatehouse.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.model.Action;
import io.gatehouse.model.Cluster;
import io.gatehouse.model.Endpoint;
import io.gatehouse.model.HttpListener;
import io.gatehouse.model.PathMatch;
import io.gatehouse.model.Route;
import io.gatehouse.model.RouteMatch;
import io.gatehouse.model.Timeouts;
import io.gatehouse.model.UpstreamProtocol;
import io.gatehouse.model.VirtualHost;
import io.gatehouse.model.WeightedCluster;
import io.gatehouse.proxy.route.RouteTable;
import io.gatehouse.proxy.upstream.UpstreamPool;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Route timeouts on loopback: an upstream that never answers gives 504 and has its connection
 * closed; one that answers at once is unaffected by the same timeouts.
 */
class RouteTimeoutsIT {
  private final EventLoopGroup loop = new NioEventLoopGroup(1);
  private ServerSocket upstream;
  private Thread upstreamThread;
  private final CountDownLatch upstreamClosed = new CountDownLatch(1);
  private Channel server;

  @BeforeEach
  void start() throws Exception {
    upstream = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
    upstreamThread = new Thread(this::serveUpstream, "test-upstream");
    upstreamThread.start();
    Cluster cluster = new Cluster("c", List.of(new Endpoint("127.0.0.1",
        upstream.getLocalPort(), 1)), UpstreamProtocol.HTTP1);
    Timeouts timeouts = new Timeouts(Duration.ofSeconds(2), Duration.ofMillis(300));
    Action forward = new Action.Forward(List.of(new WeightedCluster("c", 1)), 0);
    RouteTable table = RouteTable.of(new HttpListener("l", "127.0.0.1", 80, List.of(
        new VirtualHost(List.of("*"), List.of(new Route("r", RouteMatch.of(
            new PathMatch.Prefix("/")), List.of(), forward, timeouts))))),
        Map.of("c", cluster));
    server = new ServerBootstrap().group(loop).channel(NioServerSocketChannel.class)
        .childHandler(new ServerInitializer(() -> table,
            new UpstreamPool(NioSocketChannel.class, Duration.ofSeconds(1), 1),
            new DefaultChannelGroup(GlobalEventExecutor.INSTANCE), ListenerOrigin.http(80), null))
        .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
  }

  @AfterEach
  void stop() throws Exception {
    server.close().sync();
    upstream.close();
    upstreamThread.join(5000);
    loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
  }

  @Test
  void upstreamThatNeverAnswersGives504AndItsConnectionIsClosed() throws Exception {
    String response = request("/slow");
    assertThat(response).startsWith("HTTP/1.1 504").endsWith("upstream request timeout");
    assertThat(upstreamClosed.await(10, TimeUnit.SECONDS)).as("upstream connection closed")
        .isTrue();
  }

  @Test
  void fastUpstreamIsUnaffected() throws Exception {
    assertThat(request("/fast")).startsWith("HTTP/1.1 200").endsWith("fast");
  }

  /** One request with {@code Connection: close}; the whole response, read until EOF. */
  private String request(String path) throws IOException {
    try (
        Socket s = new Socket("127.0.0.1", ((InetSocketAddress) server.localAddress()).getPort())) {
      s.setSoTimeout(10_000);
      s.getOutputStream()
          .write(("GET " + path + " HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      return new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
    }
  }

  /** Answers {@code /fast} at once; never answers anything else, and notes when it is closed. */
  private void serveUpstream() {
    while (!upstream.isClosed()) {
      try (Socket s = upstream.accept()) {
        s.setSoTimeout(10_000);
        InputStream in = s.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
          int b = in.read();
          if (b < 0) {
            break;
          }
          head.append((char) b);
        }
        if (head.toString().startsWith("GET /fast")) {
          OutputStream out = s.getOutputStream();
          out.write("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nfast"
              .getBytes(StandardCharsets.US_ASCII));
          out.flush();
        } else if (in.read() < 0) {
          upstreamClosed.countDown();
        }
      } catch (IOException e) {
        // closed by the test or the proxy
      }
    }
  }
}
