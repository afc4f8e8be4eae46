package io.gatehouse.testing;

import static java.util.Objects.requireNonNull;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.string.StringDecoder;
import io.netty.handler.codec.string.StringEncoder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.jspecify.annotations.Nullable;

/**
 * An emulated echo-basic TCP echo port (HARNESS.md §9.2, §3.3): on connect (after the handshake on
 * a TLS port) it writes {@code Gateway API Test TCP Server\n}, then answers the lines {@code PING},
 * {@code IS_TLS} and {@code TEST} ({@link TcpEchoHandler}) and ignores any other, keeping the
 * connection open until the client closes it.
 *
 * <p>
 * Thread-safe; start and close it from a non-event-loop thread.
 */
public final class TcpEchoServer implements AutoCloseable {
  /** The largest line read; longer lines close the connection. */
  static final int MAX_LINE = 8192;
  private static final long CLOSE_TIMEOUT_SECONDS = 5;

  private final Channel serverChannel;
  private final ChannelGroup connections;

  /**
   * Settings of one TCP echo port.
   *
   * @param service value of {@code service} ({@code SERVICE_NAME}), may be empty
   * @param tls serve TLS with these settings (port 8443 of tcp-backend), or null for plain TCP
   */
  public record Options(String bindAddress, int port, String podName, String namespace,
      String service, @Nullable EchoTls tls) {
    public Options {
      requireNonNull(bindAddress, "bindAddress");
      requireNonNull(podName, "podName");
      requireNonNull(namespace, "namespace");
      requireNonNull(service, "service");
    }
  }

  private TcpEchoServer(Channel serverChannel, ChannelGroup connections) {
    this.serverChannel = serverChannel;
    this.connections = connections;
  }

  /**
   * Binds a new server on {@code group} (from {@link EchoServer#newEventLoopGroup}), which
   * {@link #close()} leaves running.
   *
   * @throws UncheckedIOException when the address cannot be bound
   */
  public static TcpEchoServer start(Options options, EventLoopGroup group) {
    ChannelGroup connections = new DefaultChannelGroup("tcp echo " + options.podName(),
        GlobalEventExecutor.INSTANCE);
    SslContext tls = sslContext(options.tls());
    ChannelFuture bind = new ServerBootstrap().group(group)
        .channel(serverChannelType(group))
        .childHandler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            connections.add(ch);
            if (tls != null) {
              ch.pipeline().addLast(new EchoTlsHandler(tls));
            }
            ch.pipeline().addLast(new LineBasedFrameDecoder(MAX_LINE),
                new StringDecoder(StandardCharsets.UTF_8),
                new StringEncoder(StandardCharsets.UTF_8),
                new TcpEchoHandler(options, tls != null));
          }
        })
        .bind(options.bindAddress(), options.port())
        .awaitUninterruptibly();
    if (!bind.isSuccess()) {
      throw new UncheckedIOException(new IOException("Cannot bind TCP echo server to "
          + options.bindAddress() + ":" + options.port(), bind.cause()));
    }
    return new TcpEchoServer(bind.channel(), connections);
  }

  private static @Nullable SslContext sslContext(@Nullable EchoTls tls) {
    if (tls == null) {
      return null;
    }
    try {
      return SslContextBuilder.forServer(tls.key(), tls.chain().toArray(new X509Certificate[0]))
          .sslProvider(SslProvider.JDK)
          .protocols("TLSv1.3", "TLSv1.2")
          .build();
    } catch (SSLException e) {
      throw new IllegalArgumentException("Cannot build the TCP echo TLS context: "
          + e.getMessage(), e);
    }
  }

  private static Class<? extends ServerChannel> serverChannelType(EventLoopGroup group) {
    boolean epoll = group instanceof IoEventLoopGroup io && io.isIoType(EpollIoHandler.class);
    return epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
  }

  /** The bound address. */
  public InetSocketAddress address() {
    return (InetSocketAddress) serverChannel.localAddress();
  }

  /** Open client connections. */
  public int openConnections() {
    return connections.size();
  }

  /** Stops listening and closes open connections. */
  @Override
  public void close() {
    serverChannel.close().awaitUninterruptibly(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    connections.close().awaitUninterruptibly(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }
}
