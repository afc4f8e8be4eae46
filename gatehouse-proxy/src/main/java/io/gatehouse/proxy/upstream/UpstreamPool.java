package io.gatehouse.proxy.upstream;

import io.gatehouse.proxy.flow.IdleTimeoutHandler;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelPromise;
import io.netty.handler.ssl.SslHandler;
import io.gatehouse.proxy.tls.UpstreamTlsContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.gatehouse.proxy.flow.ReadDemandHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * HTTP/1.1 keep-alive connections per event loop and per endpoint. Connections are created on, and
 * only ever used from, the event loop of the downstream connection that asked for them, so the idle
 * sets are plain per-thread collections without locks.
 *
 * <p>
 * An idle connection keeps one read pending so that a close by the server is noticed (and the
 * connection dropped from the pool) before it is handed out again. All methods must be called on an
 * event loop of the group the pool was made for.
 */
public final class UpstreamPool {
  private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(60);
  /** The name of the client {@link SslHandler} at the front of a TLS connection's pipeline. */
  public static final String TLS_HANDLER = "upstream-tls";

  private final Bootstrap bootstrap;
  private final int maxIdlePerEndpoint;
  private final H2cConnections h2c;
  /**
   * Idle connections by endpoint (cleartext) or by {@link TlsKey} (TLS): a TLS connection is only
   * reused for the same endpoint with the same TLS context (SNI, trust, client certificate).
   */
  private final FastThreadLocal<Map<Object, ArrayDeque<Channel>>> idle = new FastThreadLocal<>() {
    @Override
    protected Map<Object, ArrayDeque<Channel>> initialValue() {
      return new HashMap<>();
    }
  };

  public UpstreamPool(Class<? extends Channel> channelType, Duration connectTimeout,
      int maxIdlePerEndpoint) {
    this(channelType, connectTimeout, maxIdlePerEndpoint, IDLE_TIMEOUT,
        new WriteBufferWaterMark(16 << 10, 32 << 10));
  }

  /**
   * @param idleTimeout a connection with no bytes either way for this long is closed: pooled, or
   * attached to an exchange (which then fails with 504, see
   * {@link UpstreamListener#onUpstreamIdle})
   * @param writeBuffer the write buffer limits of each upstream connection (backpressure)
   */
  public UpstreamPool(Class<? extends Channel> channelType, Duration connectTimeout,
      int maxIdlePerEndpoint, Duration idleTimeout, WriteBufferWaterMark writeBuffer) {
    this.maxIdlePerEndpoint = maxIdlePerEndpoint;
    this.bootstrap = new Bootstrap().channel(channelType)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectTimeout.toMillis())
        .option(ChannelOption.WRITE_BUFFER_WATER_MARK, writeBuffer)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.AUTO_READ, false)
        .handler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            ch.pipeline().addLast(
                new UpstreamHttpCodec(responseDecoderConfig()),
                new ReadDemandHandler(),
                new IdleTimeoutHandler(idleTimeout),
                new UpstreamHandler());
          }
        });
    this.h2c = new H2cConnections(bootstrap, idleTimeout);
  }

  /**
   * Upstream responses get the suspicion of client requests (SECURITY.md A11): CRLF only, validated
   * names and values, no duplicate Content-Length, Content-Length with Transfer-Encoding refused. A
   * response that fails decoding is answered 502 and its connection closed, never pooled.
   */
  static HttpDecoderConfig responseDecoderConfig() {
    return new HttpDecoderConfig().setMaxInitialLineLength(8192).setMaxHeaderSize(32768)
        .setMaxChunkSize(65536).setStrictLineParsing(true).setValidateHeaders(true)
        .setAllowDuplicateContentLengths(false).setUseRfc9112TransferEncoding(true);
  }

  /**
   * Whether {@code ch} holds input nobody asked for yet, decoded or not: behind a complete
   * response, that is more than the response's framing said (an unsolicited response, surplus body
   * bytes, even a few bytes without a line end), so the connection must not be reused.
   */
  public static boolean hasUnreadInput(Channel ch) {
    ReadDemandHandler h = ch.pipeline().get(ReadDemandHandler.class);
    UpstreamHttpCodec codec = ch.pipeline().get(UpstreamHttpCodec.class);
    return h != null && h.hasQueued() || codec != null && codec.hasUndecodedBytes();
  }

  /**
   * Opens an HTTP/2 stream (h2c, prior knowledge) to {@code endpoint} on {@code loop}, sharing one
   * connection per loop and endpoint; once it succeeds, {@link #attach} a listener. Streams are
   * closed, not {@linkplain #release released}, when done.
   */
  public Future<Http2StreamChannel> openStream(EventLoop loop, InetSocketAddress endpoint) {
    return h2c.openStream(loop, endpoint, null);
  }

  /**
   * As {@link #openStream(EventLoop, InetSocketAddress)}; with {@code tls}, over TLS connections
   * that negotiated {@code h2} by ALPN with the backend's certificate verified.
   */
  public Future<Http2StreamChannel> openStream(EventLoop loop, InetSocketAddress endpoint,
      @Nullable UpstreamTlsContext tls) {
    return h2c.openStream(loop, endpoint, tls);
  }

  /**
   * An idle, still open connection to {@code endpoint} with {@code listener} attached, or null.
   */
  public @Nullable Channel acquireIdle(InetSocketAddress endpoint, UpstreamListener listener) {
    return acquireIdle(endpoint, null, listener);
  }

  /**
   * As {@link #acquireIdle(InetSocketAddress, UpstreamListener)}, over TLS when {@code tls} is set.
   */
  public @Nullable Channel acquireIdle(InetSocketAddress endpoint, @Nullable UpstreamTlsContext tls,
      UpstreamListener listener) {
    ArrayDeque<Channel> q = idle.get().get(key(endpoint, tls));
    while (q != null && !q.isEmpty()) {
      Channel ch = q.pollLast();
      if (ch.isActive() && !hasUnreadInput(ch)) {
        attach(ch, listener);
        return ch;
      }
      ch.close(); // bytes arrived while idle: not a response to anything, never reused
    }
    return null;
  }

  /**
   * Closes the idle connections of the calling event loop (memory pressure); must run on an event
   * loop of the pool's group.
   */
  public void closeIdle() {
    for (ArrayDeque<Channel> q : idle.get().values()) {
      for (Channel ch : new ArrayDeque<>(q)) {
        ch.close(); // its close listener removes it from the queue
      }
    }
  }

  /**
   * Opens a new connection on {@code loop}; once the future succeeds, {@link #attach} a listener
   * before using the channel.
   */
  public ChannelFuture connect(EventLoop loop, InetSocketAddress endpoint) {
    return connect(loop, endpoint, null);
  }

  /**
   * As {@link #connect(EventLoop, InetSocketAddress)}; with {@code tls} the future completes only
   * once the TLS handshake, with the backend's certificate verified, has succeeded, and fails (the
   * connection closed) when it does not: nothing is ever written in cleartext to a TLS cluster.
   */
  public ChannelFuture connect(EventLoop loop, InetSocketAddress endpoint,
      @Nullable UpstreamTlsContext tls) {
    ChannelFuture f = bootstrap.clone(loop).connect(endpoint);
    Channel ch = f.channel();
    Object key = key(endpoint, tls);
    ch.closeFuture().addListener(x -> {
      ArrayDeque<Channel> q = idle.get().get(key);
      if (q != null) {
        q.remove(ch);
      }
    });
    if (tls == null) {
      return f;
    }
    SslHandler ssl = tls.newHandler(ch.alloc(), endpoint);
    ch.pipeline().addFirst(TLS_HANDLER, ssl);
    ChannelPromise handshaken = ch.newPromise();
    f.addListener((ChannelFutureListener) connected -> {
      if (!connected.isSuccess()) {
        handshaken.tryFailure(connected.cause());
        return;
      }
      // Auto-read is off and the handshake needs the server's flight: ask from the TLS handler's
      // context, so the request below it (ReadDemandHandler) does not count it as demand.
      var context = ch.pipeline().context(ssl);
      if (context != null) {
        context.read();
      }
      ssl.handshakeFuture().addListener(h -> {
        if (h.isSuccess()) {
          handshaken.trySuccess();
        } else {
          ch.close();
          handshaken.tryFailure(h.cause());
        }
      });
    });
    return handshaken;
  }

  static Object key(InetSocketAddress endpoint, @Nullable UpstreamTlsContext tls) {
    return tls == null ? endpoint : new TlsKey(endpoint, tls);
  }

  /** The pool key of a TLS connection; contexts compare by identity. */
  private record TlsKey(InetSocketAddress endpoint, UpstreamTlsContext tls) {
  }

  /** Routes what {@code ch} receives to {@code listener} until the connection is released. */
  public static void attach(Channel ch, UpstreamListener listener) {
    ch.pipeline().get(UpstreamHandler.class).attach(listener);
  }

  /**
   * Asks {@code ch} for its next response part; at most one read is ever outstanding, so a read
   * left pending by the idle pool is not doubled.
   */
  public static void read(Channel ch) {
    UpstreamHandler h = ch.pipeline().get(UpstreamHandler.class);
    if (h != null) {
      h.read();
    }
  }

  /** Stops routing what {@code ch} receives to its listener (before closing it). */
  public static void detach(Channel ch) {
    UpstreamHandler h = ch.pipeline().get(UpstreamHandler.class);
    if (h != null) {
      h.detach();
    }
  }

  /**
   * Takes back a connection whose exchange completed cleanly; closes it when it is no longer usable
   * or the endpoint already has enough idle connections.
   */
  public void release(InetSocketAddress endpoint, Channel ch) {
    release(endpoint, null, ch);
  }

  /** As {@link #release(InetSocketAddress, Channel)} for a connection made with {@code tls}. */
  public void release(InetSocketAddress endpoint, @Nullable UpstreamTlsContext tls, Channel ch) {
    detach(ch);
    ArrayDeque<Channel> q = idle.get().computeIfAbsent(key(endpoint, tls),
        e -> new ArrayDeque<>());
    if (!ch.isActive() || q.size() >= maxIdlePerEndpoint) {
      ch.close();
      return;
    }
    q.addLast(ch);
    read(ch); // notices a close by the server while idle
  }
}
