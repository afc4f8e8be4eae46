package io.gatehouse.proxy;

import io.gatehouse.proxy.http.DrainEvent;
import io.gatehouse.proxy.route.RouteTable;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.ChannelGroupFuture;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * One bound socket and its current route table. The table is swapped atomically by {@code apply};
 * each request reads it once. Thread-safe.
 */
final class BoundListener {
  private final InetSocketAddress address;
  private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
  private volatile String name;
  private volatile RouteTable table;
  private volatile @Nullable Channel serverChannel;

  BoundListener(String name, InetSocketAddress address, RouteTable table) {
    this.name = name;
    this.address = address;
    this.table = table;
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

  void swap(String newName, RouteTable newTable) {
    this.name = newName;
    this.table = newTable;
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
