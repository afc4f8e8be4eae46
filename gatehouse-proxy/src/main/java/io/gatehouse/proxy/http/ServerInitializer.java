package io.gatehouse.proxy.http;

import io.gatehouse.proxy.flow.IdleTimeoutHandler;
import io.gatehouse.proxy.route.RouteTable;
import io.gatehouse.proxy.tls.SniSelector;
import io.gatehouse.proxy.upstream.UpstreamPool;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.codec.http2.DefaultHttp2WindowUpdateFrame;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.gatehouse.proxy.tls.ListenerSniHandler;
import io.gatehouse.proxy.tls.RenegotiationGuard;
import io.gatehouse.proxy.flow.ReadDemandHandler;
import io.gatehouse.model.EdgeTimeouts;
import io.gatehouse.model.HeaderPolicy;
import io.gatehouse.model.Http1Policy;
import io.gatehouse.model.PathPolicy;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Assembles an accepted client connection's pipeline; the only place that knows handler order:
 * {@code IdleTimeoutHandler → StreamIdleHandler → [SniHandler, replaced by an SslHandler once the
 * ClientHello chose a certificate] → RequestHeadersTimer → Http1FramingScanner → HttpServerCodec →
 * RequestHeadersTimer → Http1RequestValidator → ReadDemandHandler → HttpServerKeepAliveHandler →
 * DownstreamHandler}, with the timeouts of the {@link EdgeContext}: the idle handler's events close
 * a keep-alive connection that sat between requests for the idle timeout (a request in progress is
 * never cut by it), the stream idle handler's cut an exchange with no bytes either way for the
 * stream idle timeout, and a request head not complete within the request-headers timeout of its
 * first byte gets 408 ({@link RequestHeadersTimer}).
 *
 * <p>
 * A connection over the listener's or the process's connection limit, or accepted while the proxy
 * sheds load, is closed at once, before anything is read. A connection from a client address
 * penalised after GOAWAY(ENHANCE_YOUR_CALM) never gets here: the listener's {@link PenaltyGate}
 * closes it at accept.
 *
 * <p>
 * On HTTPS listeners a {@link RenegotiationGuard} in front of the TLS handlers closes a connection
 * that tries to renegotiate, and the {@code SniHandler} ({@link ListenerSniHandler}, which records
 * the client's server name for the misdirected-request check) closes the connection when the
 * ClientHello announces more than {@link #MAX_CLIENT_HELLO} bytes (checked once its first TLS
 * record, at most 16 KiB, is in), then asks the {@link SniSelector} for a context; no match closes
 * the connection without a certificate sent. The ClientHello and the handshake must complete within
 * {@link #HANDSHAKE_TIMEOUT}. Both TLS handlers work with auto-read off: they ask for more bytes
 * themselves while a handshake or a record is incomplete. After the handshake the
 * {@link AlpnSwitch} switches the connection to the same HTTP/2 handlers as h2c (below) when ALPN
 * chose {@code h2}; otherwise (ALPN {@code http/1.1} or none) the HTTP/1.1 handlers serve it.
 *
 * <p>
 * HTTP/1.1 framing is strict ({@link Http1Policy}, {@code docs/security.md}): the scanner refuses
 * what the codec would normalise (obs-fold, loose request lines, framing fields in trailers) and
 * any framing but one Content-Length or a single final {@code chunked}; the codec, in strict line
 * parsing with header validation, refuses bare CR or LF, invalid names and values and malformed
 * chunk lines; the validator applies the Host rules and resolves absolute-form targets. Each marks
 * the request failed; {@link DownstreamHandler} answers 400 (or 414, 501, 505) and closes. The
 * upstream request is always re-encoded from the decoded message, never copied from the client's
 * bytes. The connection joins {@code connections} so that a removed listener can drain it. An
 * accepted WebSocket handshake later replaces the HTTP handlers with a tunnel
 * ({@link WebSocketTunnel}).
 *
 * <p>
 * On cleartext listeners an {@link H2cPrefaceHandler} sits in front of the codec. When a client
 * opens with the HTTP/2 connection preface (prior knowledge), the HTTP/1.1 handlers are replaced by
 * {@code IdleTimeoutHandler → FlushConsolidation → Http2FrameCodec → Http2MultiplexHandler →
 * Http2ConnectionIdleHandler}, with {@link Http2Limits} applied, and every stream gets the pipeline
 * of {@link Http2StreamInitializer}. HTTP/1.1's {@code Upgrade: h2c} is not performed: such a
 * request is served as HTTP/1.1 and the upgrade headers are not forwarded (see
 * {@link HopByHopHeaders}).
 */
public final class ServerInitializer extends ChannelInitializer<Channel> {
  static final int MAX_INITIAL_LINE = 8192;
  static final int MAX_HEADER_SIZE = HeaderPolicy.DEFAULT.maxBytes();
  static final int MAX_CHUNK_SIZE = 65536;
  static final int MAX_CLIENT_HELLO = 16384;
  static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

  private final Supplier<RouteTable> table;
  private final UpstreamPool pool;
  private final ChannelGroup connections;
  private final ListenerOrigin origin;
  private final @Nullable SniSelector tls;
  private final Http2Limits http2;
  private final EdgeContext edge;
  private final Http1Policy http1;
  private final PathPolicy pathPolicy;
  private final HeaderPolicy headerPolicy;
  /** Open connections of this listener (each bind has its own initializer). */
  private final AtomicInteger open = new AtomicInteger();

  /** With the default {@link Http2Limits}. */
  public ServerInitializer(Supplier<RouteTable> table, UpstreamPool pool,
      ChannelGroup connections, ListenerOrigin origin, @Nullable SniSelector tls) {
    this(table, pool, connections, origin, tls, Http2Limits.defaults());
  }

  /**
   * @param tls the certificates of an HTTPS listener, null for cleartext HTTP
   * @param http2 the limits of HTTP/2 connections (cleartext listeners only)
   */
  public ServerInitializer(Supplier<RouteTable> table, UpstreamPool pool,
      ChannelGroup connections, ListenerOrigin origin, @Nullable SniSelector tls,
      Http2Limits http2) {
    this(table, pool, connections, origin, tls, http2, EdgeContext.defaults(),
        Http1Policy.defaults(), PathPolicy.DEFAULT, HeaderPolicy.DEFAULT);
  }

  /**
   * @param edge the timeouts, connection limits and overload state shared by the proxy's listeners
   * @param http1 how strictly HTTP/1.1 requests are framed
   * @param pathPolicy how request paths are canonicalised before routing
   * @param headerPolicy header limits, underscores and client identity
   */
  public ServerInitializer(Supplier<RouteTable> table, UpstreamPool pool,
      ChannelGroup connections, ListenerOrigin origin, @Nullable SniSelector tls,
      Http2Limits http2, EdgeContext edge, Http1Policy http1, PathPolicy pathPolicy,
      HeaderPolicy headerPolicy) {
    this.edge = edge;
    this.http1 = http1;
    this.pathPolicy = pathPolicy;
    this.headerPolicy = headerPolicy;
    this.table = table;
    this.pool = pool;
    this.connections = connections;
    this.origin = origin;
    this.tls = tls;
    this.http2 = http2;
  }

  /** The server codec with gatehouse's limits and strict framing. */
  public static HttpServerCodec serverCodec() {
    return serverCodec(MAX_HEADER_SIZE);
  }

  /** The server codec with a header block limit of {@code maxHeaderSize} bytes. */
  static HttpServerCodec serverCodec(int maxHeaderSize) {
    return new HttpServerCodec(decoderConfig().setMaxHeaderSize(maxHeaderSize));
  }

  /**
   * The decoder settings: CRLF only, validated names and values, no duplicate Content-Length, RFC
   * 9112 Transfer-Encoding rules (all set on purpose, whatever Netty's defaults are).
   */
  static HttpDecoderConfig decoderConfig() {
    return new HttpDecoderConfig().setMaxInitialLineLength(MAX_INITIAL_LINE)
        .setMaxHeaderSize(MAX_HEADER_SIZE).setMaxChunkSize(MAX_CHUNK_SIZE)
        .setUseRfc9112TransferEncoding(true).setStrictLineParsing(true).setValidateHeaders(true)
        .setAllowDuplicateContentLengths(false).setAllowPartialChunks(true);
  }

  @Override
  protected void initChannel(Channel ch) {
    if (edge.overloaded() || !edge.admit(open)) {
      ch.close(); // over a connection limit, or shedding load: closed before anything is read
      return;
    }
    ch.closeFuture().addListener(f -> edge.release(open));
    connections.add(ch);
    EdgeTimeouts t = edge.timeouts();
    ch.pipeline().addLast(
        new IdleTimeoutHandler(t.idle()),
        new StreamIdleHandler(t.streamIdle()));
    if (tls != null) {
      ch.pipeline().addLast(new RenegotiationGuard(),
          new ListenerSniHandler(tls, MAX_CLIENT_HELLO, HANDSHAKE_TIMEOUT.toMillis()),
          new AlpnSwitch(this::toHttp2));
    } else {
      ch.pipeline().addLast(new H2cPrefaceHandler(this::toHttp2));
    }
    RequestHeadersTimer headers = new RequestHeadersTimer(t.requestHeaders());
    ch.pipeline().addLast(headers.bytes(), new Http1FramingScanner(http1),
        serverCodec(headerPolicy.maxBytes()), headers.messages(), new Http1RequestValidator(http1),
        new ReadDemandHandler(), new HttpServerKeepAliveHandler(),
        new DownstreamHandler(table, pool, origin, pathPolicy, headerPolicy, edge));
  }

  /**
   * Called by the preface handler (cleartext) or the ALPN switch (TLS, {@code h2} negotiated),
   * which removes itself next; the connection is still idle.
   */
  private void toHttp2(ChannelHandlerContext ctx) {
    ChannelPipeline p = ctx.pipeline();
    p.remove(Http1FramingScanner.class);
    p.remove(HttpServerCodec.class);
    p.remove(Http1RequestValidator.class);
    p.remove(StreamIdleHandler.class); // streams have their own
    p.remove(ReadDemandHandler.class);
    p.remove(HttpServerKeepAliveHandler.class);
    p.remove(DownstreamHandler.class);
    Http2FrameCodec codec = http2Codec(http2, edge.penalties());
    // Streams flush on their own; the flushes of one event-loop turn leave in one write (never
    // from inside one of the codec's writes: see FlushConsolidation).
    p.addLast(new FlushConsolidation());
    p.addLast(codec, new Http2MultiplexHandler(new Http2StreamInitializer(table, pool, origin,
        pathPolicy, headerPolicy, edge)),
        new Http2ConnectionIdleHandler());
    // The limit applies from the first stream, not only once the client acknowledged SETTINGS.
    codec.connection().remote().maxActiveStreams(http2.maxConcurrentStreams());
    // Backpressure is per stream (flow control, stream channels read on demand); the connection
    // itself must always read, or no stream could make progress.
    ctx.channel().config().setAutoRead(true);
    // The connection window grows only by WINDOW_UPDATE on stream 0 (RFC 9113 §6.9.2); the codec
    // may already have grown it a little (to twice the stream window's excess over 65,535).
    Http2Connection c = codec.connection();
    int grow = http2.connectionWindow()
        - c.local().flowController().initialWindowSize(c.connectionStream());
    if (grow > 0) {
      ctx.channel().writeAndFlush(new DefaultHttp2WindowUpdateFrame(grow));
    }
  }

  /**
   * The server-side HTTP/2 codec with every limit set explicitly, and an {@link Http2FrameGuard}
   * (the flood counters Netty does not have) watching its frames.
   */
  static Http2FrameCodec http2Codec(Http2Limits l) {
    return http2Codec(l, PenaltyBox.off());
  }

  /** As {@link #http2Codec(Http2Limits)}; GOAWAY(ENHANCE_YOUR_CALM) penalises the peer. */
  static Http2FrameCodec http2Codec(Http2Limits l, PenaltyBox penalties) {
    Http2FrameGuard guard = new Http2FrameGuard(l, penalties);
    Http2FrameCodec codec = Http2FrameCodecBuilder.forServer()
        .initialSettings(Http2Settings.defaultSettings()
            .maxConcurrentStreams(l.maxConcurrentStreams())
            .initialWindowSize(l.initialStreamWindow())
            .maxHeaderListSize(l.maxHeaderListSize()))
        .validateHeaders(true)
        .validateRequiredPseudoHeaders(true)
        .encoderEnforceMaxQueuedControlFrames(l.maxQueuedControlFrames())
        .decoderEnforceMaxConsecutiveEmptyDataFrames(l.maxConsecutiveEmptyDataFrames())
        .decoderEnforceMaxRstFramesPerWindow(l.maxResetsPerWindow(), l.resetWindowSeconds())
        .encoderEnforceMaxRstFramesPerWindow(l.maxResetsPerWindow(), l.resetWindowSeconds())
        .decoderEnforceMaxSmallContinuationFrames(l.maxSmallContinuationFrames())
        .frameLogger(guard)
        .build();
    guard.attach(codec);
    return codec;
  }
}
