package io.gatehouse.proxy.http;

import io.gatehouse.proxy.route.RouteTable;
import io.gatehouse.proxy.tls.SniSelector;
import io.gatehouse.proxy.upstream.UpstreamPool;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.gatehouse.proxy.flow.ReadDemandHandler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Assembles an accepted client connection's pipeline; the only place that knows handler order:
 * {@code IdleStateHandler → [SniHandler, replaced by an SslHandler once the ClientHello chose a
 * certificate] → HttpServerCodec → ReadDemandHandler → HttpServerKeepAliveHandler →
 * DownstreamHandler}. The idle handler's events close a keep-alive connection that sat between
 * requests for {@link #KEEP_ALIVE_IDLE}; a request in progress is never cut by it.
 *
 * <p>
 * On HTTPS listeners the {@code SniHandler} closes the connection when the ClientHello announces
 * more than {@link #MAX_CLIENT_HELLO} bytes (checked once its first TLS record, at most 16 KiB, is
 * in), then asks the {@link SniSelector} for a context; no match closes the connection without a
 * certificate sent. The ClientHello and the handshake must complete within
 * {@link #HANDSHAKE_TIMEOUT}. Both TLS handlers work with auto-read off: they ask for more bytes
 * themselves while a handshake or a record is incomplete.
 *
 * <p>
 * The codec rejects ambiguous framing (RFC 9112 §6.1: Content-Length with Transfer-Encoding) and
 * oversized lines and headers by marking the decoded message failed; {@link DownstreamHandler}
 * answers those with 400 and closes. The connection joins {@code connections} so that a removed
 * listener can drain it. An accepted WebSocket handshake later replaces the HTTP handlers with a
 * tunnel ({@link WebSocketTunnel}).
 */
public final class ServerInitializer extends ChannelInitializer<Channel> {
  static final int MAX_INITIAL_LINE = 8192;
  static final int MAX_HEADER_SIZE = 16384;
  static final int MAX_CHUNK_SIZE = 65536;
  static final Duration KEEP_ALIVE_IDLE = Duration.ofSeconds(60);
  static final int MAX_CLIENT_HELLO = 16384;
  static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

  private final Supplier<RouteTable> table;
  private final UpstreamPool pool;
  private final ChannelGroup connections;
  private final ListenerOrigin origin;
  private final @Nullable SniSelector tls;

  /**
   * @param tls the certificates of an HTTPS listener, null for cleartext HTTP
   */
  public ServerInitializer(Supplier<RouteTable> table, UpstreamPool pool,
      ChannelGroup connections, ListenerOrigin origin, @Nullable SniSelector tls) {
    this.table = table;
    this.pool = pool;
    this.connections = connections;
    this.origin = origin;
    this.tls = tls;
  }

  /** The server codec with gatehouse's limits and strict framing. */
  public static HttpServerCodec serverCodec() {
    return new HttpServerCodec(new HttpDecoderConfig().setMaxInitialLineLength(MAX_INITIAL_LINE)
        .setMaxHeaderSize(MAX_HEADER_SIZE).setMaxChunkSize(MAX_CHUNK_SIZE)
        .setUseRfc9112TransferEncoding(true));
  }

  @Override
  protected void initChannel(Channel ch) {
    connections.add(ch);
    ch.pipeline().addLast(
        new IdleStateHandler(0, 0, KEEP_ALIVE_IDLE.toSeconds(), TimeUnit.SECONDS));
    if (tls != null) {
      ch.pipeline().addLast(new SniHandler(tls, MAX_CLIENT_HELLO, HANDSHAKE_TIMEOUT.toMillis()));
    }
    ch.pipeline().addLast(serverCodec(), new ReadDemandHandler(), new HttpServerKeepAliveHandler(),
        new DownstreamHandler(table, pool, origin));
  }
}
