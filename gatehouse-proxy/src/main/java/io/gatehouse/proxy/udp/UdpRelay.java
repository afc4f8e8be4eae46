package io.gatehouse.proxy.udp;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * One bound UDP listener socket with its sessions, keyed by client address and port. A datagram
 * from a new client draws an endpoint from the current {@link UdpTarget} (swapped atomically on
 * reload) and opens a {@link UdpSession}, unless {@link UdpLimits#maxSessions} are open (then it is
 * dropped and counted). Thread-safe: datagrams and sessions live on the socket's event loop; reload
 * and close hand their work to it.
 */
final class UdpRelay {
  private static final long CLOSE_WAIT_SECONDS = 5;
  private final InetSocketAddress address;
  private final UdpLimits limits;
  private final Class<? extends DatagramChannel> type;
  private final Map<InetSocketAddress, UdpSession> sessions = new ConcurrentHashMap<>();
  private final AtomicLong overLimit = new AtomicLong();
  private final AtomicLong noBackend = new AtomicLong();
  private volatile String name;
  private volatile UdpTarget target;
  private volatile @Nullable Channel channel;

  UdpRelay(String name, InetSocketAddress address, UdpTarget target, UdpLimits limits,
      Class<? extends DatagramChannel> type) {
    this.name = name;
    this.address = address;
    this.target = target;
    this.limits = limits;
    this.type = type;
  }

  ChannelFuture bind(EventLoopGroup group) {
    ChannelFuture f = new Bootstrap().group(group).channel(type)
        .option(ChannelOption.RCVBUF_ALLOCATOR,
            new FixedRecvByteBufAllocator(UdpLimits.MAX_DATAGRAM + 1))
        .handler(new DatagramHandler())
        .bind(address);
    channel = f.channel();
    return f;
  }

  String name() {
    return name;
  }

  InetSocketAddress address() {
    return address;
  }

  int sessions() {
    return sessions.size();
  }

  long droppedOverLimit() {
    return overLimit.get();
  }

  long droppedNoBackend() {
    return noBackend.get();
  }

  /**
   * Serves {@code next} from now on. Sessions whose endpoint {@code next} can still send to keep
   * going; the others close (their next datagram opens a new session on the new backends).
   */
  void swap(String newName, UdpTarget next) {
    this.name = newName;
    this.target = next;
    Channel ch = channel;
    if (ch != null) {
      Set<InetSocketAddress> reachable = next.reachable();
      // Waits, so that a datagram sent after the reload never reaches a session it closes.
      ch.eventLoop().submit(() -> List.copyOf(sessions.values()).stream()
          .filter(s -> !reachable.contains(s.endpoint()))
          .forEach(UdpSession::close)).awaitUninterruptibly(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
    }
  }

  /** Closes the socket and every session. */
  void close() {
    Channel ch = channel;
    if (ch != null) {
      ch.close().awaitUninterruptibly(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
      ch.eventLoop().submit(() -> List.copyOf(sessions.values()).forEach(UdpSession::close))
          .awaitUninterruptibly(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
    }
  }

  @Override
  public String toString() {
    return name + "@udp:" + address;
  }

  /** Reads the listener socket; owns nothing past {@code channelRead0} except what it retains. */
  private final class DatagramHandler extends SimpleChannelInboundHandler<DatagramPacket> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
      InetSocketAddress client = packet.sender();
      UdpSession session = sessions.get(client);
      if (session == null) {
        if (sessions.size() >= limits.maxSessions()) {
          overLimit.incrementAndGet();
          return;
        }
        InetSocketAddress endpoint = target.pick();
        if (endpoint == null) {
          noBackend.incrementAndGet();
          return;
        }
        UdpSession[] opened = new UdpSession[1];
        opened[0] = UdpSession.open(client, endpoint, ctx.channel().eventLoop(), type,
            ctx.channel(), limits.sessionIdle(), () -> {
              if (opened[0] != null) {
                sessions.remove(client, opened[0]);
              }
            });
        session = opened[0];
        if (!session.isOpen()) {
          noBackend.incrementAndGet();
          return;
        }
        sessions.put(client, session);
      }
      session.send(packet.content().retain());
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      // A failed send to one client (e.g. ICMP unreachable on some kernels) must not stop the socket.
    }
  }
}
