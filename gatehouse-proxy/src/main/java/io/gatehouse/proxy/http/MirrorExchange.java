package io.gatehouse.proxy.http;

import io.gatehouse.proxy.tls.UpstreamTlsContext;
import io.gatehouse.proxy.upstream.UpstreamCluster;
import io.gatehouse.proxy.upstream.UpstreamListener;
import io.gatehouse.proxy.upstream.UpstreamPool;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one mirrored copy of a request (Gateway API RequestMirror) and discards whatever comes
 * back. Fire-and-forget: nothing here touches the client connection or the primary exchange, so a
 * mirror that is slow, hangs or fails never delays or changes the client's answer.
 *
 * <p>
 * Bounded: each event loop has at most {@link #MAX_IN_FLIGHT} mirrors in flight and drops further
 * copies until some finish; each mirror ends after {@link #TIMEOUT} at the latest, its connection
 * closed. A cleanly finished HTTP/1.1 connection goes back to the pool; anything else is closed.
 * Mirrors are never retried.
 *
 * <p>
 * Confined to the event loop it was started on (the client connection's). Ownership: the request
 * belongs to this object until it is written (the codec then releases it) or dropped (released
 * here); response parts are released as they arrive.
 */
final class MirrorExchange implements UpstreamListener {
  private static final Logger log = LoggerFactory.getLogger(MirrorExchange.class);

  /** Mirrors in flight per event loop beyond which new copies are dropped. */
  static final int MAX_IN_FLIGHT = 128;
  /** The longest a mirror may take, from its start to its last response part. */
  static final Duration TIMEOUT = Duration.ofSeconds(10);

  private static final FastThreadLocal<int[]> IN_FLIGHT = new FastThreadLocal<>() {
    @Override
    protected int[] initialValue() {
      return new int[1];
    }
  };

  private final UpstreamPool pool;
  private final EventLoop loop;
  private final InetSocketAddress endpoint;
  private final boolean h2c;
  private final @Nullable UpstreamTlsContext tls;
  private @Nullable FullHttpRequest request;
  private @Nullable ScheduledFuture<?> timer;
  private @Nullable Channel channel;
  private boolean written;
  private boolean informational;
  private boolean keepAlive;
  private boolean done;

  private MirrorExchange(UpstreamPool pool, EventLoop loop, InetSocketAddress endpoint,
      boolean h2c, @Nullable UpstreamTlsContext tls, FullHttpRequest request) {
    this.pool = pool;
    this.tls = tls;
    this.loop = loop;
    this.endpoint = endpoint;
    this.h2c = h2c;
    this.request = request;
  }

  /**
   * Sends {@code request} to an endpoint of {@code cluster}, or drops it (released) when the
   * cluster has no endpoint or this loop has too many mirrors in flight. Call on {@code loop}.
   */
  static void send(UpstreamPool pool, EventLoop loop, UpstreamCluster cluster,
      FullHttpRequest request) {
    InetSocketAddress endpoint = cluster.next();
    int[] inFlight = IN_FLIGHT.get();
    if (endpoint == null || cluster.tlsUnusable() || inFlight[0] >= MAX_IN_FLIGHT) {
      log.debug("Mirror to {} dropped ({} in flight)", cluster, inFlight[0]);
      request.release();
      return;
    }
    inFlight[0]++;
    new MirrorExchange(pool, loop, endpoint, cluster.isH2c(), cluster.tls(), request).start();
  }

  /** Mirrors in flight on the calling event loop (for tests and metrics). */
  static int inFlight() {
    return IN_FLIGHT.get()[0];
  }

  private void start() {
    timer = loop.schedule(() -> finish(false), TIMEOUT.toNanos(), TimeUnit.NANOSECONDS);
    if (h2c) {
      pool.openStream(loop, endpoint, tls).addListener((Future<Http2StreamChannel> f) -> {
        if (f.isSuccess()) {
          connected(f.getNow());
        } else {
          finish(false);
        }
      });
      return;
    }
    Channel idle = pool.acquireIdle(endpoint, tls, this);
    if (idle != null) {
      write(idle);
      return;
    }
    pool.connect(loop, endpoint, tls).addListener((ChannelFutureListener) f -> {
      if (f.isSuccess()) {
        connected(f.channel());
      } else {
        finish(false);
      }
    });
  }

  private void connected(Channel ch) {
    if (done) {
      ch.close();
      return;
    }
    UpstreamPool.attach(ch, this);
    write(ch);
  }

  private void write(Channel ch) {
    channel = ch;
    FullHttpRequest r = request;
    request = null;
    ch.writeAndFlush(r).addListener((ChannelFutureListener) f -> {
      if (!f.isSuccess()) {
        finish(false);
      } else {
        written = true;
      }
    });
    UpstreamPool.read(ch);
  }

  @Override
  public void onUpstreamMessage(HttpObject msg) {
    boolean failed = msg.decoderResult().isFailure();
    if (msg instanceof HttpResponse r) {
      informational = r.status().code() < 200;
      keepAlive = !informational && HttpUtil.isKeepAlive(r);
    }
    boolean last = msg instanceof LastHttpContent;
    ReferenceCountUtil.release(msg);
    if (done) {
      return;
    }
    if (failed) {
      finish(false);
    } else if (last && !informational) {
      finish(keepAlive && written);
    } else {
      if (last) {
        informational = false; // the end of a 1xx; the final response follows
      }
      Channel ch = channel;
      if (ch != null) {
        UpstreamPool.read(ch);
      }
    }
  }

  @Override
  public void onUpstreamClosed() {
    channel = null;
    finish(false);
  }

  private void finish(boolean reusable) {
    if (done) {
      return;
    }
    done = true;
    IN_FLIGHT.get()[0]--;
    ScheduledFuture<?> t = timer;
    if (t != null) {
      t.cancel(false);
    }
    FullHttpRequest r = request;
    request = null;
    if (r != null) {
      r.release();
    }
    Channel ch = channel;
    channel = null;
    if (ch == null) {
      return;
    }
    if (reusable && !h2c) {
      pool.release(endpoint, tls, ch);
    } else {
      UpstreamPool.detach(ch);
      ch.close();
    }
  }
}
