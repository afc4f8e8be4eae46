package io.gatehouse.proxy.l4;

import io.gatehouse.model.Cluster;
import io.gatehouse.model.Listener;
import io.gatehouse.model.ServerCertificate;
import io.gatehouse.model.TcpListener;
import io.gatehouse.model.TlsMixedListener;
import io.gatehouse.model.TlsPassthroughListener;
import io.gatehouse.model.TlsTerminateListener;
import io.gatehouse.proxy.BindFailure;
import io.gatehouse.proxy.tls.ServerTlsContexts;
import io.gatehouse.proxy.tls.SniMapping;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroupFuture;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bound L4 listeners (TCP, TLS Passthrough, TLS Terminate, TLS mixed) of a
 * {@code GatewayProxy}, keyed by socket address. {@code apply} first {@link #removeStale removes}
 * what is no longer wanted (so a port can move to another listener in one apply), then {@link #bind
 * binds} the new ones and swaps the routes and certificates of the kept ones; open connections
 * survive a swap.
 *
 * <p>
 * Not thread-safe: called under the proxy's {@code apply} lock, never on an event loop.
 */
public final class L4Listeners {
  private static final Logger log = LoggerFactory.getLogger(L4Listeners.class);
  private static final long BIND_TIMEOUT_SECONDS = 10;

  /** What one address should serve. */
  public record Wanted(String name, L4Listener.Kind kind, L4Table table,
      SniMapping<SslContext> certificates) {
  }

  private final EventLoopGroup group;
  private final Class<? extends ServerChannel> serverChannelType;
  private final Class<? extends Channel> channelType;
  private final Duration connectTimeout;
  private final Duration idleTimeout;
  private final WriteBufferWaterMark waterMark;
  private final Map<InetSocketAddress, L4Listener> bound = new HashMap<>();

  /**
   * @param idleTimeout a connection with no traffic either way for this long is closed
   */
  public L4Listeners(EventLoopGroup group, Class<? extends ServerChannel> serverChannelType,
      Class<? extends Channel> channelType, Duration connectTimeout, Duration idleTimeout,
      WriteBufferWaterMark waterMark) {
    this.group = group;
    this.serverChannelType = serverChannelType;
    this.channelType = channelType;
    this.connectTimeout = connectTimeout;
    this.idleTimeout = idleTimeout;
    this.waterMark = waterMark;
  }

  /**
   * What an L4 model listener should serve, or null for an HTTP or HTTPS listener. Endpoints are
   * resolved here, on the calling thread.
   *
   * @param certificateFailures receives each certificate of a Terminate listener that cannot be
   * used
   */
  public static @Nullable Wanted wanted(Listener listener, Map<String, Cluster> clusters,
      ServerTlsContexts tls, BiConsumer<ServerCertificate, String> certificateFailures) {
    return switch (listener) {
      case TcpListener t -> new Wanted(t.name(), L4Listener.Kind.TCP,
          L4Table.tcp(t.route(), clusters), SniMapping.empty());
      case TlsPassthroughListener t -> new Wanted(t.name(), L4Listener.Kind.TLS_PASSTHROUGH,
          L4Table.tls(t.routes(), clusters), SniMapping.empty());
      case TlsTerminateListener t -> new Wanted(t.name(), L4Listener.Kind.TLS_TERMINATE,
          L4Table.tls(t.routes(), clusters), tls.mappingOf(t.certificates(),
              certificateFailures));
      case TlsMixedListener t -> new Wanted(t.name(), L4Listener.Kind.TLS_MIXED,
          L4Table.mixed(t.passthroughRoutes(), t.terminateRoutes(), clusters),
          tls.mappingOf(t.certificates(), certificateFailures));
      default -> null;
    };
  }

  /** Drains the listeners whose address is not wanted any more or now serves another kind. */
  public void removeStale(Map<InetSocketAddress, Wanted> wanted, Duration drainTimeout) {
    bound.entrySet().removeIf(e -> {
      Wanted w = wanted.get(e.getKey());
      if (w != null && w.kind() == e.getValue().kind()) {
        return false;
      }
      e.getValue().drain(group, drainTimeout);
      log.debug("L4 listener {} removed, draining", e.getValue());
      return true;
    });
  }

  /** Swaps the kept listeners' routes and binds the new ones, waiting for each bind. */
  public void bind(Map<InetSocketAddress, Wanted> wanted, List<BindFailure> failures) {
    Map<L4Listener, ChannelFuture> binding = new LinkedHashMap<>();
    wanted.forEach((address, w) -> {
      L4Listener existing = bound.get(address);
      if (existing != null) {
        existing.swap(w.name(), w.table(), w.certificates());
        return;
      }
      L4Listener l = new L4Listener(w.name(), address, w.kind(), w.table(), w.certificates());
      binding.put(l, new ServerBootstrap().group(group).channel(serverChannelType)
          .option(ChannelOption.SO_REUSEADDR, true).option(ChannelOption.SO_BACKLOG, 1024)
          .childOption(ChannelOption.AUTO_READ, false)
          .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
          .childOption(ChannelOption.TCP_NODELAY, true)
          .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, waterMark)
          .childHandler(new L4Initializer(l, channelType, connectTimeout, idleTimeout))
          .bind(address));
    });
    binding.forEach((l, f) -> awaitBind(l, f, failures));
  }

  private void awaitBind(L4Listener l, ChannelFuture f, List<BindFailure> failures) {
    String where = l.address().getAddress().getHostAddress() + ":" + l.address().getPort();
    if (!f.awaitUninterruptibly(BIND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      f.channel().close();
      failures.add(new BindFailure(l.name(), where, "Bind timed out."));
    } else if (!f.isSuccess()) {
      String message = f.cause() == null ? "Bind failed." : String.valueOf(f.cause().getMessage());
      log.warn("Listener {} could not bind {}: {}", l.name(), where, message);
      failures.add(new BindFailure(l.name(), where, message));
    } else {
      l.bound(f.channel());
      bound.put(l.address(), l);
      log.debug("L4 listener {} bound", l);
    }
  }

  /** Drains every listener; the futures complete when their connections have closed. */
  public List<ChannelGroupFuture> drainAll(Duration timeout) {
    List<ChannelGroupFuture> out = new ArrayList<>();
    bound.values().forEach(l -> out.add(l.drain(group, timeout)));
    bound.clear();
    return out;
  }
}
