package io.gatehouse.proxy.udp;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * One client flow of a UDP listener: a connected upstream datagram socket to the endpoint drawn for
 * it (so the kernel drops datagrams from anyone else), on the listener's event loop. Datagrams from
 * the client go out of it unchanged; datagrams from the endpoint are sent to the client from the
 * listener socket. It closes after {@link UdpLimits#sessionIdle} without a datagram either way.
 *
 * <p>
 * Confined to the listener's event loop. Buffers: {@link #send} takes ownership of the payload
 * (written, queued until connected, or released); replies are released by the read handler after
 * their content is retained for the listener write.
 */
final class UdpSession {
  /** Datagrams held while the upstream socket connects; more are dropped. */
  private static final int MAX_PENDING = 64;

  private final InetSocketAddress client;
  private final InetSocketAddress endpoint;
  private final ArrayDeque<ByteBuf> pending = new ArrayDeque<>();
  private ChannelFuture connected;

  private UdpSession(InetSocketAddress client, InetSocketAddress endpoint) {
    this.client = client;
    this.endpoint = endpoint;
  }

  /**
   * Opens a session on {@code loop}; {@code onClose} runs (on the loop) when its upstream socket
   * closes, for whatever reason.
   */
  static UdpSession open(InetSocketAddress client, InetSocketAddress endpoint, EventLoop loop,
      Class<? extends DatagramChannel> type, Channel listener, Duration idle, Runnable onClose) {
    UdpSession s = new UdpSession(client, endpoint);
    s.connected = new Bootstrap().group(loop).channel(type)
        .option(ChannelOption.RCVBUF_ALLOCATOR,
            new FixedRecvByteBufAllocator(UdpLimits.MAX_DATAGRAM + 1))
        .handler(new ChannelInitializer<DatagramChannel>() {
          @Override
          protected void initChannel(DatagramChannel ch) {
            ch.pipeline().addLast(new IdleStateHandler(0, 0, idle.toMillis(),
                TimeUnit.MILLISECONDS), new ReplyHandler(listener, client));
          }
        })
        .connect(endpoint);
    s.connected.addListener(f -> s.flushPending());
    s.connected.channel().closeFuture().addListener(f -> {
      s.releasePending();
      onClose.run();
    });
    return s;
  }

  InetSocketAddress endpoint() {
    return endpoint;
  }

  /** Sends one payload upstream; takes ownership of it. */
  void send(ByteBuf payload) {
    if (connected.isSuccess() && connected.channel().isActive()) {
      connected.channel().writeAndFlush(payload, connected.channel().voidPromise());
    } else if (!connected.isDone() && pending.size() < MAX_PENDING) {
      pending.add(payload);
    } else {
      payload.release();
    }
  }

  boolean isOpen() {
    return connected.channel().isOpen();
  }

  void close() {
    connected.channel().close();
  }

  private void flushPending() {
    if (!connected.isSuccess()) {
      connected.channel().close();
      releasePending();
      return;
    }
    Channel ch = connected.channel();
    ByteBuf b;
    while ((b = pending.poll()) != null) {
      ch.write(b, ch.voidPromise());
    }
    ch.flush();
  }

  private void releasePending() {
    ByteBuf b;
    while ((b = pending.poll()) != null) {
      b.release();
    }
  }

  @Override
  public String toString() {
    return client + "->" + endpoint;
  }

  /** Relays the endpoint's datagrams to the client through the listener socket; closes on idle. */
  private static final class ReplyHandler extends ChannelInboundHandlerAdapter {
    private final Channel listener;
    private final InetSocketAddress client;

    ReplyHandler(Channel listener, InetSocketAddress client) {
      this.listener = listener;
      this.client = client;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      try {
        ByteBuf content = msg instanceof DatagramPacket p ? p.content() : (ByteBuf) msg;
        if (listener.isActive()) {
          listener.writeAndFlush(new DatagramPacket(content.retain(), client),
              listener.voidPromise());
        }
      } finally {
        ReferenceCountUtil.release(msg);
      }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof IdleStateEvent) {
        ctx.close();
      } else {
        ctx.fireUserEventTriggered(evt);
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      // ICMP port unreachable and the like: the flow is dead, a new datagram opens a new one.
      ctx.close();
    }
  }
}
