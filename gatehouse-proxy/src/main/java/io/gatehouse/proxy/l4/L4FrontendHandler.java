package io.gatehouse.proxy.l4;

import io.gatehouse.proxy.tls.TlsConnection;
import io.gatehouse.proxy.upstream.UpstreamCluster;
import io.gatehouse.proxy.tls.UpstreamTlsContext;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Opens the backend connection of one L4 client connection and then hands over to two
 * {@link RelayHandler}s; the last handler of the client pipeline until then.
 *
 * <p>
 * When the route is known depends on the listener: a TCP listener's at once (the backend is
 * connected as soon as the client connects, since the server may speak first); a TLS Passthrough
 * listener's when {@link SniRouteHandler} reports it ({@link RouteSelected}); a TLS Terminate
 * listener's after the handshake, by the SNI the client sent; on a mixed port, by the peek, and for
 * a Terminate route ({@link TerminateSelected}) the connect waits for the handshake. No route, a
 * refused share, a cluster without endpoints or with unusable TLS, or a failed connect: the client
 * connection is closed.
 *
 * <p>
 * Bytes the client sends before the backend is connected (the peeked ClientHello, early data) are
 * queued here and written first, in order; nothing more is read from the client meanwhile. Queued
 * buffers are released if the connection fails. The backend channel is created on the client's
 * event loop, so this handler needs no locks.
 */
final class L4FrontendHandler extends ChannelInboundHandlerAdapter {
  /** Fired by {@link SniRouteHandler} once it chose the route of a passthrough connection. */
  record RouteSelected(L4Target target) {
  }

  /**
   * Fired by {@link SniRouteHandler} on a mixed port when the route is a Terminate listener's: the
   * backend is connected to {@code target} once the handshake has completed.
   */
  record TerminateSelected(L4Target target) {
  }

  /** What starts the backend connection. */
  enum Start {
    ON_CONNECT, ON_ROUTE_SELECTED, ON_HANDSHAKE
  }

  private final Start start;
  private final Supplier<L4Table> table;
  private final Class<? extends Channel> channelType;
  private final Duration connectTimeout;
  private final Queue<Object> pending = new ArrayDeque<>();
  private boolean connecting;
  private @Nullable L4Target terminated;

  L4FrontendHandler(Start start, Supplier<L4Table> table, Class<? extends Channel> channelType,
      Duration connectTimeout) {
    this.start = start;
    this.table = table;
    this.channelType = channelType;
    this.connectTimeout = connectTimeout;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    if (start == Start.ON_CONNECT) {
      connect(ctx, table.get().only());
    } else {
      ctx.read(); // the ClientHello
    }
    ctx.fireChannelActive();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof RouteSelected r && start == Start.ON_ROUTE_SELECTED) {
      connect(ctx, r.target());
    } else if (evt instanceof TerminateSelected t && start == Start.ON_ROUTE_SELECTED) {
      terminated = t.target();
    } else if (evt instanceof SslHandshakeCompletionEvent e && terminated != null) {
      if (e.isSuccess()) {
        connect(ctx, terminated);
      } else {
        ctx.close();
      }
    } else if (evt instanceof SslHandshakeCompletionEvent e && start == Start.ON_HANDSHAKE) {
      if (e.isSuccess()) {
        TlsConnection tls = TlsConnection.of(ctx.channel());
        connect(ctx, table.get().select(tls == null ? null : tls.serverName()));
      } else {
        ctx.close();
      }
    } else if (evt instanceof IdleStateEvent) {
      ctx.close();
    }
    ReferenceCountUtil.release(evt);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    pending.add(msg); // relayed once the backend is connected
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    releasePending();
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close(); // e.g. a ClientHello over the size limit or a failed handshake: no alert, no log
  }

  private void connect(ChannelHandlerContext ctx, @Nullable L4Target target) {
    if (connecting) {
      return;
    }
    connecting = true;
    UpstreamCluster cluster = target == null ? null : target.pick();
    InetSocketAddress endpoint = cluster == null || cluster.tlsUnusable() ? null : cluster.next();
    if (endpoint == null) {
      ctx.close();
      return;
    }
    Channel client = ctx.channel();
    UpstreamTlsContext tls = cluster.tls();
    new Bootstrap().group(client.eventLoop()).channel(channelType)
        .option(ChannelOption.AUTO_READ, false)
        .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectTimeout.toMillis())
        .option(ChannelOption.WRITE_BUFFER_WATER_MARK,
            client.config().getOption(ChannelOption.WRITE_BUFFER_WATER_MARK))
        .handler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            if (tls != null) {
              ch.pipeline().addLast(tls.newHandler(ch.alloc(), endpoint));
            }
            ch.pipeline().addLast(new RelayHandler(client));
          }
        })
        .connect(endpoint)
        .addListener((ChannelFutureListener) f -> {
          if (!f.isSuccess() || !client.isActive()) {
            f.channel().close();
            releasePending();
            client.close();
            return;
          }
          relay(ctx, f.channel());
        });
  }

  /** Replaces this handler by a relay and starts reading on both sides. */
  private void relay(ChannelHandlerContext ctx, Channel backend) {
    Channel client = ctx.channel();
    client.closeFuture().addListener(c -> RelayHandler.flushAndClose(backend));
    Object msg;
    while ((msg = pending.poll()) != null) {
      backend.write(msg);
    }
    backend.flush();
    ctx.pipeline().replace(this, "l4-relay", new RelayHandler(backend));
    backend.read(); // the server may speak first
    if (client instanceof DuplexChannel duplex && duplex.isInputShutdown()) {
      // The client ended its side before the backend was connected (its FIN was read with its
      // data): relay that half-close now; there is nothing more to read.
      client.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
    } else {
      client.read();
    }
  }

  private void releasePending() {
    Object msg;
    while ((msg = pending.poll()) != null) {
      ReferenceCountUtil.release(msg);
    }
  }
}
