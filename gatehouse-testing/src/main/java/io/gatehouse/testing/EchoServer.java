package io.gatehouse.testing;

import static java.util.Objects.requireNonNull;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLException;
import org.jspecify.annotations.Nullable;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One emulated echo-basic pod port (HARNESS.md §3.1): HTTP/1.1 and h2c (prior knowledge and
 * {@code Upgrade: h2c}) on one TCP port, answering with the request echoed as JSON, plus
 * {@code /health}, {@code /status/NNN}, the {@code /retry/} simulator and {@code ?delay=}.
 *
 * <p>
 * Start with {@link #start(EchoOptions)} (own event loop, one thread) or
 * {@link #start(EchoOptions, EventLoopGroup)} to share a group, e.g. one from
 * {@link #newEventLoopGroup(int)}, among many pods. Do not call {@code start} or {@code close} from
 * an event loop thread: both wait for the bind or close to complete. Event loop threads are daemon
 * threads, so a forgotten server never keeps a test JVM alive; a command that only serves must
 * block its main thread itself. Echoed requests are logged at DEBUG by
 * {@code io.gatehouse.testing.EchoResponder} and kept in {@link #requests()}. Thread-safe.
 */
public final class EchoServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EchoServer.class);
  private static final long CLOSE_TIMEOUT_SECONDS = 5;

  private final EchoOptions options;
  private final Channel serverChannel;
  private final ChannelGroup connections;
  private final RequestLog requestLog;
  private final EventLoopGroup ownGroup;

  private EchoServer(EchoOptions options, Channel serverChannel, ChannelGroup connections,
      RequestLog requestLog,
      EventLoopGroup ownGroup) {
    this.options = options;
    this.serverChannel = serverChannel;
    this.connections = connections;
    this.requestLog = requestLog;
    this.ownGroup = ownGroup;
  }

  /**
   * Binds a new server with its own single-threaded event loop group, closed by {@link #close()}.
   *
   * @throws UncheckedIOException when the address cannot be bound (in use, not local)
   */
  public static EchoServer start(EchoOptions options) {
    EventLoopGroup group = newEventLoopGroup(1);
    try {
      return start(options, group, group);
    } catch (RuntimeException e) {
      group.shutdownGracefully(0, CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      throw e;
    }
  }

  /**
   * Binds a new server on a shared group, which {@link #close()} leaves running. The group must
   * come from {@link #newEventLoopGroup(int)} or be another epoll or NIO {@link IoEventLoopGroup}.
   *
   * @throws UncheckedIOException when the address cannot be bound (in use, not local)
   */
  public static EchoServer start(EchoOptions options, EventLoopGroup group) {
    return start(options, group, null);
  }

  /**
   * An event loop group for {@link #start(EchoOptions, EventLoopGroup)}: epoll when available, else
   * NIO; daemon threads named {@code gatehouse-echo-*}. The caller shuts it down.
   */
  public static EventLoopGroup newEventLoopGroup(int threads) {
    var threadFactory = new DefaultThreadFactory("gatehouse-echo", true);
    return new MultiThreadIoEventLoopGroup(threads, threadFactory,
        Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
  }

  private static EchoServer start(EchoOptions options, EventLoopGroup group,
      EventLoopGroup ownGroup) {
    requireNonNull(options, "options");
    requireNonNull(group, "group");
    RequestLog requestLog = new RequestLog();
    EchoResponder responder = new EchoResponder(options, requestLog, Clock.systemUTC());
    ChannelGroup connections = new DefaultChannelGroup("echo " + options.podName(),
        GlobalEventExecutor.INSTANCE);
    ChannelFuture bind = new ServerBootstrap().group(group)
        .channel(serverChannelType(group))
        .childHandler(new EchoServerInitializer(responder, connections, sslContext(options)))
        .bind(options.bindAddress(), options.port())
        .awaitUninterruptibly();
    if (!bind.isSuccess()) {
      throw new UncheckedIOException(new IOException(
          "Cannot bind echo server to " + options.bindAddress() + ":" + options.port(),
          bind.cause()));
    }
    Channel channel = bind.channel();
    InetSocketAddress bound = (InetSocketAddress) channel.localAddress();
    responder.httpPort(bound.getPort());
    log.info("Echo pod {}/{} listening on {} ({})", options.namespace(), options.podName(), bound,
        options.tls() != null ? "HTTPS" : options.h2cOnly() ? "h2c only" : "HTTP/1.1 and h2c");
    return new EchoServer(options, channel, connections, requestLog, ownGroup);
  }

  /**
   * The server context of an HTTPS port: the JDK's TLS (the testing module does not load
   * BoringSSL), TLS 1.2 and 1.3, a client certificate requested but optional when client CAs are
   * set.
   */
  private static @Nullable SslContext sslContext(EchoOptions options) {
    EchoTls tls = options.tls();
    if (tls == null) {
      return null;
    }
    try {
      SslContextBuilder b = SslContextBuilder
          .forServer(tls.key(), tls.chain().toArray(new X509Certificate[0]))
          .sslProvider(SslProvider.JDK)
          .protocols("TLSv1.3", "TLSv1.2");
      if (!tls.clientCas().isEmpty()) {
        b.trustManager(tls.clientCas().toArray(new X509Certificate[0]))
            .clientAuth(ClientAuth.OPTIONAL);
      }
      return b.build();
    } catch (SSLException e) {
      throw new IllegalArgumentException("Cannot build the echo TLS context: " + e.getMessage(),
          e);
    }
  }

  private static Class<? extends ServerChannel> serverChannelType(EventLoopGroup group) {
    boolean epoll = group instanceof IoEventLoopGroup io && io.isIoType(EpollIoHandler.class);
    return epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
  }

  /** The bound address; with port 0 in the options, the ephemeral port chosen. */
  public InetSocketAddress address() {
    return (InetSocketAddress) serverChannel.localAddress();
  }

  public EchoOptions options() {
    return options;
  }

  /**
   * A snapshot of the request log, oldest first; keeps the last {@value RequestLog#CAPACITY}
   * echoes.
   */
  public List<EchoRequestLog> requests() {
    return requestLog.snapshot();
  }

  /**
   * Stops listening, closes open connections and, when it owns one, shuts its event loop group
   * down.
   */
  @Override
  public void close() {
    serverChannel.close().awaitUninterruptibly(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    connections.close().awaitUninterruptibly(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    if (ownGroup != null) {
      ownGroup.shutdownGracefully(0, CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS)
          .awaitUninterruptibly(2 * CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }
  }
}
