package io.gatehouse.proxy;

import io.gatehouse.proxy.http.DrainEvent;
import io.gatehouse.proxy.http.ListenerOrigin;
import io.gatehouse.proxy.route.RouteTable;
import io.gatehouse.proxy.tls.SniMapping;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.ChannelGroupFuture;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * One bound socket, its current route table and, on HTTPS, its current certificates. Both are
 * swapped atomically by {@code apply}; each request reads the table once, each TLS handshake the
 * certificates once. Thread-safe.
 */
final class BoundListener {
  private final InetSocketAddress address;
  private final ListenerOrigin origin;
  private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
  private volatile String name;
  private volatile RouteTable table;
  private volatile @Nullable SniMapping<SslContext> sni;
  private volatile @Nullable Channel serverChannel;

  /** @param sni the certificates, null for a cleartext listener */
  BoundListener(String name, InetSocketAddress address, ListenerOrigin origin, RouteTable table,
      @Nullable SniMapping<SslContext> sni) {
    this.name = name;
    this.address = address;
    this.origin = origin;
    this.table = table;
    this.sni = sni;
  }

  ListenerOrigin origin() {
    return origin;
  }

  boolean isTls() {
    return sni != null;
  }

  /** The current certificates; an empty mapping (every handshake refused) on cleartext. */
  SniMapping<SslContext> sni() {
    SniMapping<SslContext> s = sni;
    return s == null ? SniMapping.empty() : s;
  }

  String name() {
    return name;
  }

  InetSocketAddress address() {
    return address;
  }

  RouteTable table() {
    return table;
  }

  ChannelGroup connections() {
    return connections;
  }

  void bound(Channel server) {
    this.serverChannel = server;
  }

  void swap(String newName, RouteTable newTable, @Nullable SniMapping<SslContext> newSni) {
    this.name = newName;
    this.table = newTable;
    this.sni = newSni;
  }

  /**
   * Stops accepting (waits for the server socket to close, so the port is free on return) and asks
   * every open connection to close once idle; after {@code timeout}, closes what is left.
   *
   * @return completes when every connection has closed
   */
  ChannelGroupFuture drain(EventLoopGroup group, Duration timeout) {
    Channel server = serverChannel;
    if (server != null) {
      server.close().syncUninterruptibly();
    }
    for (Channel ch : connections) {
      ch.eventLoop().execute(() -> ch.pipeline().fireUserEventTriggered(DrainEvent.INSTANCE));
    }
    ChannelGroupFuture closed = connections.newCloseFuture();
    var force = group.schedule(() -> connections.close(), timeout.toMillis(),
        TimeUnit.MILLISECONDS);
    closed.addListener(f -> force.cancel(false));
    return closed;
  }

  @Override
  public String toString() {
    return name + "@" + address;
  }
}
