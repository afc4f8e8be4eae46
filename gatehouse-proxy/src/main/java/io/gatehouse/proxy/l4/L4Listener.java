package io.gatehouse.proxy.l4;

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
 * One bound L4 socket, its current routes and, on TLS Terminate, its current certificates; both are
 * swapped atomically by {@code apply}, and each connection reads them once (routes when it is
 * routed, certificates at its handshake). Thread-safe.
 */
final class L4Listener {
  /** What the socket serves; a change of kind rebinds it. */
  enum Kind {
    TCP, TLS_PASSTHROUGH, TLS_TERMINATE, TLS_MIXED
  }

  private final InetSocketAddress address;
  private final Kind kind;
  private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
  private volatile String name;
  private volatile L4Table table;
  private volatile SniMapping<SslContext> certificates;
  private volatile @Nullable Channel serverChannel;

  L4Listener(String name, InetSocketAddress address, Kind kind, L4Table table,
      SniMapping<SslContext> certificates) {
    this.name = name;
    this.address = address;
    this.kind = kind;
    this.table = table;
    this.certificates = certificates;
  }

  Kind kind() {
    return kind;
  }

  String name() {
    return name;
  }

  InetSocketAddress address() {
    return address;
  }

  L4Table table() {
    return table;
  }

  SniMapping<SslContext> certificates() {
    return certificates;
  }

  ChannelGroup connections() {
    return connections;
  }

  void bound(Channel server) {
    this.serverChannel = server;
  }

  void swap(String newName, L4Table newTable, SniMapping<SslContext> newCertificates) {
    this.name = newName;
    this.table = newTable;
    this.certificates = newCertificates;
  }

  /**
   * Stops accepting (the port is free on return); open connections keep relaying until they end or
   * {@code timeout} passes, then they are closed.
   *
   * @return completes when every connection has closed
   */
  ChannelGroupFuture drain(EventLoopGroup group, Duration timeout) {
    Channel server = serverChannel;
    if (server != null) {
      server.close().syncUninterruptibly();
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
