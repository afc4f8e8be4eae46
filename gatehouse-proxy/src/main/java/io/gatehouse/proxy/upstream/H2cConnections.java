package io.gatehouse.proxy.upstream;

import io.gatehouse.proxy.flow.ReadDemandHandler;
import io.gatehouse.proxy.tls.UpstreamTlsContext;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http2.DefaultHttp2WindowUpdateFrame;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2SettingsFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import org.jspecify.annotations.Nullable;

/**
 * HTTP/2 upstream connections, cleartext with prior knowledge (h2c) or, for a cluster with upstream
 * TLS, over TLS with ALPN {@code h2} (a connection whose backend does not select h2 is closed):
 * multiplexed connections per event loop and endpoint, one stream per forwarded request. A stream's
 * pipeline ({@code
 * Http2StreamFrameToHttpObjectCodec → ReadDemandHandler → IdleStateHandler → UpstreamHandler})
 * speaks the same {@code HttpObject}s as an HTTP/1.1 connection, so the relay does not care which
 * it got; the stream is closed, never pooled, when its exchange ends.
 *
 * <p>
 * Streams go to the first connection of the endpoint that has room: no stream is opened before the
 * backend's SETTINGS arrived, and then only while the connection has fewer streams than the
 * backend's SETTINGS_MAX_CONCURRENT_STREAMS. When every connection is full, another one is opened,
 * up to {@link #MAX_CONNECTIONS} per loop and endpoint; beyond that the stream fails at once
 * ({@link StreamLimitException}), it is not queued. A connection that received GOAWAY takes no new
 * stream (its open streams finish on it); a closed one is forgotten, so a restarted backend gets a
 * new connection.
 *
 * <p>
 * The upstream idle timeout applies as on HTTP/1.1: a stream with no bytes either way for that long
 * fails its exchange ({@link UpstreamListener#onUpstreamIdle}) and is reset; a connection with no
 * bytes either way for that long and no open stream is closed.
 *
 * <p>
 * The connection itself runs with auto-read on (every stream depends on it); backpressure is per
 * stream, through HTTP/2 flow control as the stream's messages are read on demand. Call on an event
 * loop only: the per-loop state is confined to it.
 */
public final class H2cConnections {
  /**
   * Receive windows. HTTP/2's 64 KiB defaults make every response wait for window updates; these
   * let a stream and the whole connection have a few round trips' worth in flight. What is in
   * flight is still bounded: the proxy reads a stream only as fast as the client takes it.
   */
  private static final int STREAM_WINDOW = 1 << 20;
  private static final int CONNECTION_WINDOW = 8 << 20;
  private static final long MAX_HEADER_LIST = 32768;
  /** Connections per event loop and endpoint when the backend's stream limit is reached. */
  static final int MAX_CONNECTIONS = 8;

  private final Bootstrap bootstrap;
  /** Per loop: the connections by endpoint, or by endpoint and TLS context for TLS ones. */
  private final FastThreadLocal<Map<Object, List<Connection>>> connections = new FastThreadLocal<>() {
    @Override
    protected Map<Object, List<Connection>> initialValue() {
      return new HashMap<>();
    }
  };

  private final long idleMillis;

  H2cConnections(Bootstrap http1Bootstrap, Duration idleTimeout) {
    this.idleMillis = idleTimeout.toMillis();
    this.bootstrap = http1Bootstrap.clone().option(ChannelOption.AUTO_READ, true);
  }

  private ChannelInitializer<Channel> initializer(Connection c, InetSocketAddress endpoint,
      @Nullable UpstreamTlsContext tls) {
    return new ChannelInitializer<>() {
      @Override
      protected void initChannel(Channel ch) {
        if (tls != null) {
          ch.pipeline().addLast(UpstreamPool.TLS_HANDLER, tls.newH2Handler(ch.alloc(), endpoint));
        }
        ch.pipeline().addLast(
            Http2FrameCodecBuilder.forClient()
                .initialSettings(Http2Settings.defaultSettings()
                    .initialWindowSize(STREAM_WINDOW).maxHeaderListSize(MAX_HEADER_LIST))
                .build(),
            new IdleStateHandler(0, 0, idleMillis, TimeUnit.MILLISECONDS),
            new CloseWhenIdle(),
            new Http2MultiplexHandler(new RejectPushedStreams()),
            new ConnectionEvents(c));
      }
    };
  }

  /** The backend's stream limit is reached on every connection this loop may open to it. */
  public static final class StreamLimitException extends Exception {
    StreamLimitException(InetSocketAddress endpoint) {
      super("all " + MAX_CONNECTIONS + " connections to " + endpoint
          + " are at the backend's SETTINGS_MAX_CONCURRENT_STREAMS", null, false, false);
    }
  }

  /**
   * Opens a stream on a connection to the endpoint with room for it, connecting first when there is
   * none.
   */
  Future<Http2StreamChannel> openStream(EventLoop loop, InetSocketAddress endpoint,
      @Nullable UpstreamTlsContext tls) {
    Promise<Http2StreamChannel> stream = loop.newPromise();
    acquire(loop, endpoint, tls, stream, 0);
    return stream;
  }

  private void acquire(EventLoop loop, InetSocketAddress endpoint,
      @Nullable UpstreamTlsContext tls, Promise<Http2StreamChannel> stream, int tries) {
    List<Connection> list = connections.get().computeIfAbsent(UpstreamPool.key(endpoint, tls),
        e -> new ArrayList<>());
    Connection chosen = null;
    for (Connection c : list) {
      if (c.mayTakeStream()) {
        chosen = c;
        break;
      }
    }
    if (chosen == null) {
      if (list.size() >= MAX_CONNECTIONS || tries > MAX_CONNECTIONS) {
        stream.tryFailure(new StreamLimitException(endpoint));
        return;
      }
      chosen = connect(loop, endpoint, tls, list);
    }
    Connection c = chosen;
    c.ready.addListener(f -> {
      if (!f.isSuccess()) {
        stream.tryFailure(f.cause());
      } else if (!c.hasRoom()) {
        acquire(loop, endpoint, tls, stream, tries + 1); // others took the room meanwhile
      } else {
        open(c, stream);
      }
    });
  }

  private Connection connect(EventLoop loop, InetSocketAddress endpoint,
      @Nullable UpstreamTlsContext tls, List<Connection> list) {
    Connection c = new Connection(loop.newPromise());
    ChannelFuture f = bootstrap.clone(loop).handler(initializer(c, endpoint, tls))
        .connect(endpoint);
    c.connect = f;
    list.add(c);
    f.addListener((ChannelFuture done) -> {
      if (done.isSuccess()) { // the connection window grows only by WINDOW_UPDATE on stream 0
        done.channel().writeAndFlush(
            new DefaultHttp2WindowUpdateFrame(
                CONNECTION_WINDOW - Http2CodecUtil.DEFAULT_WINDOW_SIZE));
      } else {
        c.ready.tryFailure(done.cause());
      }
    });
    f.channel().closeFuture().addListener(x -> {
      list.remove(c);
      c.ready.tryFailure(new ClosedChannelException());
    });
    return c;
  }

  private void open(Connection c, Promise<Http2StreamChannel> stream) {
    c.streams++;
    Promise<Http2StreamChannel> opened = c.connect.channel().eventLoop().newPromise();
    opened.addListener((Future<Http2StreamChannel> f) -> {
      if (f.isSuccess()) {
        f.getNow().closeFuture().addListener(x -> c.streams--);
        if (!stream.trySuccess(f.getNow())) {
          f.getNow().close();
        }
      } else {
        c.streams--;
        stream.tryFailure(f.cause());
      }
    });
    new Http2StreamChannelBootstrap(c.connect.channel()).option(ChannelOption.AUTO_READ, false)
        .handler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            ch.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(false),
                new ReadDemandHandler(),
                new IdleStateHandler(0, 0, idleMillis, TimeUnit.MILLISECONDS),
                new UpstreamHandler());
          }
        }).open(opened);
  }

  /** One connection to an endpoint and the streams this loop put on it. */
  private static final class Connection {
    /** Set right after the connect started. */
    ChannelFuture connect;
    /** Succeeds when the backend's first SETTINGS arrived. */
    final Promise<Void> ready;
    /** Streams opened or being opened. */
    int streams;
    boolean goingAway;

    Connection(Promise<Void> ready) {
      this.ready = ready;
    }

    /** Whether a new stream may wait for this connection or go on it now. */
    boolean mayTakeStream() {
      return !goingAway && !connect.channel().closeFuture().isDone()
          && (!ready.isDone() || hasRoom());
    }

    /** Whether the backend allows another stream on this connection (after its SETTINGS). */
    boolean hasRoom() {
      if (goingAway || !connect.channel().isActive()) {
        return false;
      }
      Http2FrameCodec codec = connect.channel().pipeline().get(Http2FrameCodec.class);
      return codec != null && streams < codec.connection().local().maxActiveStreams();
    }
  }

  /**
   * Last handler of the connection's pipeline: marks the connection ready when the backend's
   * SETTINGS arrive and going away on GOAWAY; releases what it reads (Http2MultiplexHandler passes
   * connection-level frames on).
   */
  private static final class ConnectionEvents extends ChannelInboundHandlerAdapter {
    private final Connection connection;

    ConnectionEvents(Connection connection) {
      this.connection = connection;
    }

    /**
     * A TLS connection is usable only when the backend's certificate verified and it selected
     * {@code h2}; otherwise it is closed (its waiting streams fail).
     */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof SslHandshakeCompletionEvent done) {
        SslHandler ssl = ctx.pipeline().get(SslHandler.class);
        if (!done.isSuccess()) {
          connection.ready.tryFailure(done.cause());
          ctx.close();
        } else if (ssl == null
            || !ApplicationProtocolNames.HTTP_2.equals(ssl.applicationProtocol())) {
          connection.ready.tryFailure(new SSLHandshakeException(
              "the backend did not select h2 by ALPN"));
          ctx.close();
        }
      }
      ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof Http2SettingsFrame) {
        connection.ready.trySuccess(null);
      } else if (msg instanceof Http2GoAwayFrame) {
        connection.goingAway = true;
      }
      ReferenceCountUtil.release(msg);
    }
  }

  /**
   * Closes the connection when it was idle for the timeout with no stream open; an open stream's
   * own idle timer governs it (a silent stream fails its exchange with 504 rather than with a
   * closed connection).
   */
  private static final class CloseWhenIdle extends ChannelInboundHandlerAdapter {
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof IdleStateEvent) {
        Http2FrameCodec codec = ctx.pipeline().get(Http2FrameCodec.class);
        if (codec == null || codec.connection().numActiveStreams() == 0) {
          ctx.close();
        }
        return;
      }
      ctx.fireUserEventTriggered(evt);
    }
  }

  /** Server-initiated streams (push) are not supported: drop what arrives on them. */
  private static final class RejectPushedStreams extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ReferenceCountUtil.release(msg);
      ctx.close();
    }
  }
}
