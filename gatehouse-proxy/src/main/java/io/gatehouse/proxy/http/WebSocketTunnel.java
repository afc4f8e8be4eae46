package io.gatehouse.proxy.http;

import io.gatehouse.proxy.flow.IdleTimeoutHandler;
import io.gatehouse.proxy.upstream.UpstreamHandler;
import io.gatehouse.proxy.upstream.UpstreamHttpCodec;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import java.time.Duration;

/**
 * Switches a client connection and its dedicated upstream connection to a byte tunnel once the
 * backend accepted a WebSocket handshake and its 101 was written to the client. The only place that
 * knows both pipelines after the switch:
 *
 * <pre>
 * client:   IdleTimeoutHandler(TUNNEL_IDLE) → [SslHandler] → ReadDemandHandler → TunnelHandler
 *           (the HTTP/1.1 framing scanner and validator go with the codec)
 * upstream: ReadDemandHandler → TunnelHandler
 * </pre>
 *
 * The HTTP codecs go last, so that bytes they had read but not decoded yet (the first frames a
 * backend sent right behind its 101) come out as buffers into the {@code ReadDemandHandler}s'
 * queues, in order, and reach the tunnel from there. Route timeouts ended with the handshake; the
 * tunnel has only its idle timeout.
 */
final class WebSocketTunnel {
  /** No byte in either direction for this long closes a tunnel (as Envoy's stream idle timeout). */
  static final Duration TUNNEL_IDLE = Duration.ofMinutes(5);

  private WebSocketTunnel() {
  }

  /** Call on the shared event loop, with no read outstanding on either channel. */
  static void open(Channel client, Channel upstream) {
    if (!client.isActive() || !upstream.isActive()) {
      client.close();
      upstream.close();
      return;
    }
    // The tunnel's backpressure needs auto-read off, whatever the channels were created with.
    client.config().setAutoRead(false);
    upstream.config().setAutoRead(false);
    ChannelPipeline c = client.pipeline();
    c.replace(DownstreamHandler.class, "tunnel", new TunnelHandler(upstream));
    c.remove(HttpServerKeepAliveHandler.class);
    if (c.get(StreamIdleHandler.class) != null) {
      c.remove(StreamIdleHandler.class); // the tunnel's idle timeout governs
    }
    c.replace(IdleTimeoutHandler.class, "tunnel-idle", new IdleTimeoutHandler(TUNNEL_IDLE));
    c.remove(Http1FramingScanner.class);
    c.remove(Http1RequestValidator.class);
    c.remove(HttpServerCodec.class);

    ChannelPipeline u = upstream.pipeline();
    u.replace(UpstreamHandler.class, "tunnel", new TunnelHandler(client));
    u.remove(IdleTimeoutHandler.class);
    u.remove(UpstreamHttpCodec.class);

    client.read();
    upstream.read();
  }
}
