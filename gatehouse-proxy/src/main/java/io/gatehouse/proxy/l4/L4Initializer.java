package io.gatehouse.proxy.l4;

import io.gatehouse.proxy.tls.ListenerSniHandler;
import io.gatehouse.proxy.tls.RenegotiationGuard;
import io.gatehouse.proxy.tls.SniSelector;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Assembles the pipeline of an accepted L4 connection, the only place that knows the handler order:
 * {@code IdleStateHandler → [SniRouteHandler | RenegotiationGuard, ListenerSniHandler] →
 * L4FrontendHandler}, the frontend replaced by a {@link RelayHandler} once the backend is
 * connected. TCP listeners have neither TLS handler; Passthrough peeks the SNI
 * ({@link SniRouteHandler}); Terminate completes the handshake with the certificate the SNI selects
 * ({@link ListenerSniHandler}, the same as on HTTPS listeners) and routes by that SNI. A mixed port
 * peeks the SNI first; a Terminate route's connection then gets the Terminate handlers in place of
 * the peek, which hands them the ClientHello it buffered.
 */
final class L4Initializer extends ChannelInitializer<Channel> {
  /** The largest ClientHello read, in bytes. */
  static final int MAX_CLIENT_HELLO = 16384;
  /** The time a client has to send its ClientHello (and, on Terminate, finish the handshake). */
  static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

  private final L4Listener listener;
  private final Class<? extends Channel> channelType;
  private final Duration connectTimeout;
  private final Duration idleTimeout;
  private final ChannelGroup connections;

  L4Initializer(L4Listener listener, Class<? extends Channel> channelType,
      Duration connectTimeout, Duration idleTimeout) {
    this.listener = listener;
    this.channelType = channelType;
    this.connectTimeout = connectTimeout;
    this.idleTimeout = idleTimeout;
    this.connections = listener.connections();
  }

  @Override
  protected void initChannel(Channel ch) {
    connections.add(ch);
    ch.pipeline().addLast(
        new IdleStateHandler(0, 0, idleTimeout.toMillis(), TimeUnit.MILLISECONDS));
    L4FrontendHandler.Start start = switch (listener.kind()) {
      case TCP -> L4FrontendHandler.Start.ON_CONNECT;
      case TLS_PASSTHROUGH -> {
        ch.pipeline().addLast(new SniRouteHandler(listener::table, MAX_CLIENT_HELLO,
            HANDSHAKE_TIMEOUT.toMillis()));
        yield L4FrontendHandler.Start.ON_ROUTE_SELECTED;
      }
      case TLS_TERMINATE -> {
        ch.pipeline().addLast(new RenegotiationGuard(), new ListenerSniHandler(
            new SniSelector(listener::certificates), MAX_CLIENT_HELLO,
            HANDSHAKE_TIMEOUT.toMillis()));
        yield L4FrontendHandler.Start.ON_HANDSHAKE;
      }
      case TLS_MIXED -> {
        ch.pipeline().addLast(new SniRouteHandler(listener::table, MAX_CLIENT_HELLO,
            HANDSHAKE_TIMEOUT.toMillis(), () -> new ChannelHandler[]{new RenegotiationGuard(),
                new ListenerSniHandler(new SniSelector(listener::certificates), MAX_CLIENT_HELLO,
                    HANDSHAKE_TIMEOUT.toMillis())}));
        yield L4FrontendHandler.Start.ON_ROUTE_SELECTED;
      }
    };
    ch.pipeline().addLast(new L4FrontendHandler(start, listener::table, channelType,
        connectTimeout));
  }
}
