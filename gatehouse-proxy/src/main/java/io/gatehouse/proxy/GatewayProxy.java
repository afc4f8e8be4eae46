package io.gatehouse.proxy;

import static java.util.Objects.requireNonNull;

import io.gatehouse.model.ConnectionLimits;
import io.gatehouse.model.GatewayConfig;
import io.gatehouse.model.HttpListener;
import io.gatehouse.model.HttpsListener;
import io.gatehouse.model.Listener;
import io.gatehouse.model.TcpListener;
import io.gatehouse.model.TlsMixedListener;
import io.gatehouse.model.TlsPassthroughListener;
import io.gatehouse.model.TlsTerminateListener;
import io.gatehouse.proxy.l4.L4Listeners;
import io.gatehouse.model.ServerCertificate;
import io.gatehouse.model.UdpListener;
import io.gatehouse.proxy.http.EdgeContext;
import io.gatehouse.proxy.http.EdgeCounters;
import io.gatehouse.proxy.http.ListenerOrigin;
import io.gatehouse.proxy.http.PenaltyBox;
import io.gatehouse.proxy.http.PenaltyGate;
import io.gatehouse.proxy.http.ServerInitializer;
import io.gatehouse.proxy.route.RouteTable;
import io.gatehouse.proxy.tls.ServerTlsContexts;
import io.gatehouse.proxy.tls.SniMapping;
import io.gatehouse.proxy.tls.SniSelector;
import io.gatehouse.proxy.udp.UdpListeners;
import io.gatehouse.proxy.upstream.UpstreamPool;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroupFuture;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data plane's entry point: serves every listener of the {@link GatewayConfig}s last applied.
 *
 * <p>
 * Thread-safe. {@link #apply} may be called from any thread, one call at a time; each call replaces
 * the whole set of Gateways (listeners no longer present drain and close, new ones bind, existing
 * ones swap their route table atomically: requests in flight finish on the table they started with
 * and open connections stay open).
 *
 * <p>
 * Listeners are keyed by bound address and port (after {@link ProxyOptions#portOffset}), so several
 * Gateways may share a port on different addresses. HTTPS listeners terminate TLS (BoringSSL when
 * available, else the JDK) and choose their certificate by SNI; certificate changes on a kept
 * listener reach every handshake that starts after {@code apply}, open connections keep theirs.
 * Upstream clusters marked H2C are spoken to over HTTP/2 cleartext (prior knowledge), multiplexed.
 * HTTP listeners also accept HTTP/2 cleartext with prior knowledge from clients, within
 * {@link ProxyOptions#http2}. TCP and TLS (Passthrough, Terminate) listeners relay connections at
 * L4 ({@link L4Listeners}) and UDP listeners relay datagrams ({@link UdpListeners}; UDP ports are a
 * space of their own), on the same event loops. Endpoint hostnames are resolved once per
 * {@code apply}, on the calling thread.
 *
 * <p>
 * {@link #apply} and {@link #close} block (binding, unbinding): never call them on an event loop.
 * After {@link #close}, {@link #apply} throws {@link IllegalStateException}.
 */
public final class GatewayProxy implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(GatewayProxy.class);
  private static final int MAX_IDLE_PER_ENDPOINT = 64;
  private static final long BIND_TIMEOUT_SECONDS = 10;

  private final ProxyOptions options;
  private final Transport transport;
  private final EventLoopGroup group;
  private final UpstreamPool pool;
  private final ServerTlsContexts tls;
  private final OverloadMonitor overload;
  private final EdgeContext edge;
  private final Map<InetSocketAddress, BoundListener> listeners = new HashMap<>();
  private final UdpListeners udp;
  private final L4Listeners l4;
  private volatile long appliedVersion = -1;
  private boolean closed;

  private GatewayProxy(ProxyOptions options, Transport transport, SslProvider tlsProvider) {
    this.options = options;
    this.transport = transport;
    int threads = options.workerThreads() > 0
        ? options.workerThreads()
        : Runtime.getRuntime().availableProcessors();
    this.group = new MultiThreadIoEventLoopGroup(threads,
        new DefaultThreadFactory("gatehouse-io", true), transport.ioHandlerFactory());
    ConnectionLimits limits = options.connections();
    this.pool = new UpstreamPool(transport.channel(), options.connectTimeout(),
        MAX_IDLE_PER_ENDPOINT, options.timeouts().upstreamReadIdle(), waterMark(limits));
    this.tls = new ServerTlsContexts(tlsProvider, options.tls());
    this.overload = new OverloadMonitor(options.overload(), group, this::shrink);
    this.edge = new EdgeContext(options.timeouts(), limits, overload::overloaded,
        new PenaltyBox(options.penalty()));
    this.udp = new UdpListeners(group, transport.datagramChannel(), options.udp());
    this.l4 = new L4Listeners(group, transport.serverChannel(), transport.channel(),
        options.connectTimeout(), options.timeouts().idle(), waterMark(limits));
  }

  private static WriteBufferWaterMark waterMark(ConnectionLimits limits) {
    return new WriteBufferWaterMark(limits.writeBufferLow(), limits.writeBufferHigh());
  }

  /** Memory pressure: every event loop drops its idle upstream connections and cached buffers. */
  private void shrink() {
    for (EventExecutor loop : group) {
      loop.execute(() -> {
        pool.closeIdle();
        if (ByteBufAllocator.DEFAULT instanceof PooledByteBufAllocator pooled) {
          pooled.trimCurrentThreadCache();
        }
      });
    }
  }

  /** The overload guard, for tests that simulate memory pressure. */
  OverloadMonitor overloadMonitor() {
    return overload;
  }

  /**
   * Client connections closed at accept because their address was penalised
   * ({@link ProxyOptions#penalty}).
   */
  public long penalisedConnections() {
    return edge.penalties().refused();
  }

  /** Open client connections of all listeners. */
  public int openConnections() {
    return edge.processConnections();
  }

  /**
   * The requests refused at the edge so far, by reason ({@link EdgeCounters}); every known reason
   * is present.
   */
  public Map<String, Long> counters() {
    return edge.counters().snapshot();
  }

  /**
   * Per UDP listener name: its open sessions ({@code sessions}) and the datagrams it dropped over
   * the session limit ({@code overLimit}) or for want of a backend ({@code noBackend}).
   */
  public synchronized Map<String, Map<String, Long>> udpCounters() {
    return udp.counters();
  }

  /** Starts the event loops; no listener is bound until the first {@link #apply}. */
  public static GatewayProxy start(ProxyOptions options) {
    return start(options, Transport.detect());
  }

  /** As {@link #start(ProxyOptions)}, on a chosen transport (tests run both). */
  static GatewayProxy start(ProxyOptions options, Transport transport) {
    return start(options, transport, ServerTlsContexts.detectProvider());
  }

  /** As {@link #start(ProxyOptions)}, on a chosen transport and TLS provider (tests run both). */
  static GatewayProxy start(ProxyOptions options, Transport transport, SslProvider tlsProvider) {
    GatewayProxy proxy = new GatewayProxy(requireNonNull(options, "options"), transport,
        tlsProvider);
    log.info("Gatehouse proxy started ({} transport, {} TLS)", proxy.transport.name(),
        proxy.tls.provider() == SslProvider.OPENSSL ? "BoringSSL" : "JDK");
    return proxy;
  }

  /**
   * Applies a complete configuration and waits until every listener is bound or has failed. Removed
   * listeners stop accepting before new ones bind, so a port can move between Gateways in one call;
   * their open connections drain in the background.
   *
   * @param version a number that grows with every call, reported back by {@link #appliedVersion}
   * @return one entry per listener that could not be bound, and one per certificate that could not
   * be used: its listener serves without it (the names it covered fall back to a matching wildcard
   * or the default certificate, else their handshakes fail; an HTTPS listener left without any
   * certificate still binds and refuses every handshake); empty when everything is serving
   */
  public synchronized List<BindFailure> apply(long version, List<GatewayConfig> gateways) {
    if (closed) {
      throw new IllegalStateException("closed");
    }
    List<BindFailure> failures = new ArrayList<>();
    Map<InetSocketAddress, L4Listeners.Wanted> wantedL4 = new LinkedHashMap<>();
    Map<InetSocketAddress, Wanted> wanted = desired(gateways, failures, wantedL4);
    l4.removeStale(wantedL4, options.drainTimeout());
    listeners.entrySet().removeIf(e -> {
      Wanted w = wanted.get(e.getKey());
      if (w != null && w.origin.equals(e.getValue().origin())) {
        return false;
      }
      e.getValue().drain(group, options.drainTimeout());
      log.debug("Listener {} removed, draining", e.getValue());
      return true;
    });
    Map<BoundListener, ChannelFuture> binding = new LinkedHashMap<>();
    wanted.forEach((address, w) -> {
      BoundListener existing = listeners.get(address);
      if (existing != null) {
        existing.swap(w.name, w.table, w.sni);
      } else {
        BoundListener l = new BoundListener(w.name, address, w.origin, w.table, w.sni);
        binding.put(l, bind(l));
      }
    });
    binding.forEach((l, f) -> awaitBind(l, f, failures));
    l4.bind(wantedL4, failures);
    failures.addAll(udp.apply(udpWanted(gateways, failures)));
    tls.evictUnused();
    appliedVersion = version;
    return List.copyOf(failures);
  }

  /**
   * What one address should serve. {@code sni} is null for cleartext HTTP. A listener whose origin
   * (scheme) changes is closed and bound anew, since its pipeline differs.
   */
  private record Wanted(String name, RouteTable table, ListenerOrigin origin,
      @Nullable SniMapping<SslContext> sni) {
  }

  /**
   * The HTTP and HTTPS listeners wanted; the TCP and TLS ones go to {@code l4}, UDP to udpWanted.
   */
  private Map<InetSocketAddress, Wanted> desired(List<GatewayConfig> gateways,
      List<BindFailure> failures, Map<InetSocketAddress, L4Listeners.Wanted> wantedL4) {
    Map<InetSocketAddress, Wanted> wanted = new LinkedHashMap<>();
    for (GatewayConfig gw : gateways) {
      for (Listener l : gw.listeners()) {
        if (l instanceof UdpListener) {
          continue; // a port space of its own: udpWanted
        }
        InetSocketAddress address = resolve(l, failures);
        if (address == null) {
          continue;
        }
        String previous = wanted.containsKey(address)
            ? wanted.get(address).name
            : wantedL4.containsKey(address) ? wantedL4.get(address).name() : null;
        if (previous != null) {
          failures.add(new BindFailure(l.name(), where(address),
              "Address already used by listener " + previous + "."));
          continue;
        }
        L4Listeners.Wanted l4Wanted = L4Listeners.wanted(l, gw.clusters(), tls,
            (cert, why) -> certificateFailed(l, address, cert, why, failures));
        if (l4Wanted != null) {
          wantedL4.put(address, l4Wanted);
          continue;
        }
        Wanted w = switch (l) {
          case HttpListener h -> new Wanted(h.name(), RouteTable.of(h.virtualHosts(), h.name(),
              gw.clusters()), ListenerOrigin.http(h.port()), null);
          case HttpsListener h -> new Wanted(h.name(), RouteTable.of(h.virtualHosts(), h.name(),
              gw.clusters()), ListenerOrigin.https(h.port()),
              tls.mappingOf(h, (cert, why) -> certificateFailed(h, address, cert, why, failures)));
          case UdpListener u -> throw new IllegalStateException("UDP listener " + u.name());
          case TcpListener t -> throw new IllegalStateException("L4 listener " + t.name());
          case TlsPassthroughListener t ->
            throw new IllegalStateException("L4 listener " + t.name());
          case TlsTerminateListener t -> throw new IllegalStateException("L4 listener " + t.name());
          case TlsMixedListener t -> throw new IllegalStateException("L4 listener " + t.name());
        };
        wanted.put(address, w);
      }
    }
    return wanted;
  }

  private List<UdpListeners.Wanted> udpWanted(List<GatewayConfig> gateways,
      List<BindFailure> failures) {
    List<UdpListeners.Wanted> out = new ArrayList<>();
    for (GatewayConfig gw : gateways) {
      for (Listener l : gw.listeners()) {
        if (l instanceof UdpListener u) {
          InetSocketAddress address = resolve(u, failures);
          if (address != null) {
            out.add(new UdpListeners.Wanted(u, address, gw.clusters()));
          }
        }
      }
    }
    return out;
  }

  private static void certificateFailed(Listener listener, InetSocketAddress address,
      ServerCertificate cert, String why, List<BindFailure> failures) {
    log.warn("Listener {}: certificate {} is not served: {}", listener.name(), cert.source(), why);
    failures.add(new BindFailure(listener.name(), where(address),
        "Certificate " + cert.source() + " is not served: " + why + "."));
  }

  /** The socket address of a listener after the port offset, or null (reported) when invalid. */
  private @Nullable InetSocketAddress resolve(Listener l, List<BindFailure> failures) {
    int port = l.port() + options.portOffset();
    if (port > 65535) {
      failures.add(new BindFailure(l.name(), hostPort(l.address(), port),
          "Port out of range after offset."));
      return null;
    }
    try {
      return new InetSocketAddress(InetAddress.getByName(l.address()), port);
    } catch (UnknownHostException e) {
      failures.add(new BindFailure(l.name(), hostPort(l.address(), port), "Unknown address."));
      return null;
    }
  }

  private ChannelFuture bind(BoundListener l) {
    ServerBootstrap b = new ServerBootstrap();
    if (edge.penalties().enabled()) {
      b.handler(new PenaltyGate(edge.penalties())); // before the acceptor registers a connection
    }
    return b.group(group).channel(transport.serverChannel())
        .option(ChannelOption.SO_REUSEADDR, true).option(ChannelOption.SO_BACKLOG, 1024)
        .childOption(ChannelOption.AUTO_READ, false).childOption(ChannelOption.TCP_NODELAY, true)
        .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, waterMark(options.connections()))
        .childHandler(new ServerInitializer(l::table, pool, l.connections(), l.origin(),
            l.isTls() ? new SniSelector(l::sni) : null, options.http2(), edge, options.http1(),
            options.path(), options.headers()))
        .bind(l.address());
  }

  private void awaitBind(BoundListener l, ChannelFuture f, List<BindFailure> failures) {
    String where = where(l.address());
    if (!f.awaitUninterruptibly(BIND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      f.channel().close();
      failures.add(new BindFailure(l.name(), where, "Bind timed out."));
    } else if (!f.isSuccess()) {
      Throwable cause = f.cause();
      String message = cause == null ? "Bind failed." : String.valueOf(cause.getMessage());
      log.warn("Listener {} could not bind {}: {}", l.name(), where, message);
      failures.add(new BindFailure(l.name(), where, message));
    } else {
      l.bound(f.channel());
      listeners.put(l.address(), l);
      log.debug("Listener {} bound", l);
    }
  }

  private static String where(InetSocketAddress address) {
    return hostPort(address.getAddress().getHostAddress(), address.getPort());
  }

  /** {@code host:port}, with an IPv6 literal in brackets. */
  private static String hostPort(String host, int port) {
    return (host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
  }

  /** The version of the last completed {@link #apply}, or -1 before the first. */
  public long appliedVersion() {
    return appliedVersion;
  }

  /** Stops accepting, lets requests in flight finish up to the drain timeout, then stops. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    List<ChannelGroupFuture> drained = new ArrayList<>();
    for (BoundListener l : listeners.values()) {
      drained.add(l.drain(group, options.drainTimeout()));
    }
    drained.addAll(l4.drainAll(options.drainTimeout()));
    listeners.clear();
    udp.close();
    long deadline = System.nanoTime() + options.drainTimeout().toNanos();
    for (ChannelGroupFuture f : drained) {
      f.awaitUninterruptibly(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    }
    overload.close();
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
  }
}
