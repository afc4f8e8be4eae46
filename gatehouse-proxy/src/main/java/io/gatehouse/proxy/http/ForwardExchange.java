package io.gatehouse.proxy.http;

import io.gatehouse.model.Timeouts;
import io.gatehouse.proxy.route.HeaderEdits;
import io.gatehouse.proxy.upstream.UpstreamListener;
import io.gatehouse.proxy.upstream.UpstreamPool;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.HttpConversionUtil.ExtensionHeaderNames;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One request forwarded to one upstream endpoint, relaying both bodies as they stream. The upstream
 * side is an HTTP/1.1 connection from the pool or, for an h2c cluster, a fresh HTTP/2 stream on the
 * loop's shared connection (no retry there: a stream is never reused).
 *
 * <p>
 * Lifecycle, all on the downstream connection's event loop:
 * <ol>
 * <li>take an idle pooled connection, or connect (failure: 503);
 * <li>write the request head; when a <em>reused</em> connection closes before any response byte,
 * retry once on a fresh connection if nothing of the request was written yet, or if the request is
 * idempotent and had no body bytes (RFC 9112 §9.3.1): the server closed the connection while it sat
 * idle, a race no check at acquisition can rule out;
 * <li>relay each request body part upstream, reading the next part from the client only when the
 * previous write completed; likewise each response part downstream, reading the next from the
 * upstream only when the client write completed;
 * <li>on the last response part, return the connection to the pool when both sides agreed on
 * keep-alive and the whole request was written, else close it.
 * </ol>
 * An upstream reset or malformed response gives 502 while nothing was sent to the client, and
 * closes the client connection after that. The route's timeouts (Gateway API
 * {@code HTTPRouteTimeouts}) run as timers on the same event loop: {@code request} from the start
 * of the exchange, {@code backendRequest} from the start of each attempt, both until the last
 * response part; when one fires the upstream connection is closed (never pooled) and the client
 * gets 504, or is disconnected if the response had started.
 *
 * <p>
 * A WebSocket handshake ({@code upgrade}) always opens a fresh connection, which is closed after
 * any answer but a 101; a 101 hands both connections to {@link WebSocketTunnel}.
 *
 * <p>
 * Ownership: request parts passed to {@link #onRequestContent} and response parts passed to
 * {@link #onUpstreamMessage} are written to the other channel (which releases them) or released
 * here.
 */
final class ForwardExchange implements UpstreamListener {
  /** RFC 9110 §9.2.2. */
  private static final Set<HttpMethod> IDEMPOTENT = Set.of(HttpMethod.GET, HttpMethod.HEAD,
      HttpMethod.OPTIONS, HttpMethod.TRACE, HttpMethod.PUT, HttpMethod.DELETE);

  private final DownstreamHandler downstream;
  private final HttpRequest request;
  private final HeaderEdits responseEdits;
  private final UpstreamPool pool;
  private final InetSocketAddress endpoint;
  private final boolean clientHttp11;
  private final boolean head;
  private final boolean h2c;
  private final Timeouts timeouts;
  private final boolean upgrade;
  private @Nullable ScheduledFuture<?> requestTimer;
  private @Nullable ScheduledFuture<?> attemptTimer;
  private @Nullable Channel upstream;
  private boolean reused;
  private boolean retried;
  private boolean headWritten;
  private boolean requestWritten;
  private boolean bodySent;
  private boolean lastSent;
  /**
   * A body part that arrived while a retry was connecting; at most one (reads are one at a time).
   */
  private @Nullable HttpContent pending;
  private boolean responseStarted;
  private boolean informational;
  private boolean upstreamKeepAlive;
  private boolean done;
  /** The backend accepted the WebSocket handshake; the 101's end switches to a tunnel. */
  private boolean switching;

  /**
   * @param clientHttp11 whether the client spoke HTTP/1.1 (else 1.0: no chunked responses)
   * @param head whether the request is a HEAD (its response has no body whatever its headers say)
   * @param h2c whether to forward on an HTTP/2 stream instead of an HTTP/1.1 connection
   * @param timeouts the route's request and backend request timeouts
   * @param upgrade whether {@code request} is a WebSocket handshake (see {@link WebSocketUpgrade})
   */
  ForwardExchange(DownstreamHandler downstream, HttpRequest request, HeaderEdits responseEdits,
      UpstreamPool pool, InetSocketAddress endpoint, boolean clientHttp11, boolean head,
      boolean h2c, Timeouts timeouts, boolean upgrade) {
    this.downstream = downstream;
    this.request = request;
    this.responseEdits = responseEdits;
    this.pool = pool;
    this.endpoint = endpoint;
    this.clientHttp11 = clientHttp11;
    this.head = head;
    this.h2c = h2c;
    this.timeouts = timeouts;
    this.upgrade = upgrade;
  }

  void start() {
    requestTimer = schedule(timeouts.request());
    attemptTimer = schedule(timeouts.backendRequest());
    if (h2c) {
      openStream();
      return;
    }
    // A handshake gets a connection of its own: it never returns to the pool.
    Channel ch = upgrade ? null : pool.acquireIdle(endpoint, this);
    if (ch != null) {
      reused = true;
      writeHead(ch);
    } else {
      connect();
    }
  }

  private void connect() {
    pool.connect(downstream.eventLoop(), endpoint).addListener((ChannelFutureListener) f -> {
      if (done) {
        f.channel().close();
      } else if (!f.isSuccess()) {
        fail(503, "upstream connect error");
      } else {
        UpstreamPool.attach(f.channel(), this);
        writeHead(f.channel());
      }
    });
  }

  private void openStream() {
    pool.openStream(downstream.eventLoop(), endpoint).addListener(
        (Future<Http2StreamChannel> f) -> {
          if (done) {
            if (f.isSuccess()) {
              f.getNow().close();
            }
          } else if (!f.isSuccess()) {
            fail(503, "upstream connect error");
          } else {
            UpstreamPool.attach(f.getNow(), this);
            writeHead(f.getNow());
          }
        });
  }

  private void writeHead(Channel ch) {
    upstream = ch;
    ch.writeAndFlush(request).addListener((ChannelFutureListener) f -> {
      if (upstream != ch || done) {
        return;
      }
      if (!f.isSuccess()) {
        ch.close(); // onUpstreamClosed retries or fails
        return;
      }
      headWritten = true;
      UpstreamPool.read(ch);
      HttpContent p = pending;
      pending = null;
      if (p != null) {
        writeContent(ch, p);
      } else if (lastSent) {
        writeContent(ch, LastHttpContent.EMPTY_LAST_CONTENT); // replaying an empty body
      } else {
        downstream.readRequestBody();
      }
    });
  }

  /** A request body part from the client; ownership passes here. */
  void onRequestContent(HttpContent content) {
    Channel ch = upstream;
    if (done || pending != null) {
      content.release();
    } else if (ch == null || !headWritten) {
      pending = content;
    } else {
      writeContent(ch, content);
    }
  }

  private void writeContent(Channel ch, HttpContent content) {
    boolean last = content instanceof LastHttpContent;
    bodySent |= content.content().isReadable()
        || last && !((LastHttpContent) content).trailingHeaders().isEmpty();
    lastSent |= last;
    ch.writeAndFlush(content).addListener((ChannelFutureListener) f -> {
      if (!f.isSuccess()) {
        ch.close();
      } else if (upstream != ch) {
        return;
      } else if (last) {
        requestWritten = true;
      } else if (!done) {
        downstream.readRequestBody();
      }
    });
  }

  @Override
  public void onUpstreamMessage(HttpObject msg) {
    if (done) {
      ReferenceCountUtil.release(msg);
    } else if (msg.decoderResult().isFailure()) {
      ReferenceCountUtil.release(msg);
      upstreamBroken();
    } else if (msg instanceof HttpResponse r && !(msg instanceof HttpContent)) {
      onResponseHead(r);
    } else if (msg instanceof HttpContent c && !(msg instanceof HttpResponse)) {
      onResponseContent(c);
    } else if (msg instanceof FullHttpResponse full) {
      // HTTP/2 HEADERS with END_STREAM (no body, or a 1xx): relay as a head and its last part.
      LastHttpContent last = new DefaultLastHttpContent(full.content(), full.trailingHeaders());
      onResponseHead(
          new DefaultHttpResponse(full.protocolVersion(), full.status(), full.headers()));
      if (done) {
        last.release();
      } else {
        onResponseContent(last);
      }
    } else {
      ReferenceCountUtil.release(msg);
      upstreamBroken();
    }
  }

  private void onResponseHead(HttpResponse r) {
    int code = r.status().code();
    if (code == 101) {
      if (upgrade && WebSocketUpgrade.isAccepted(r)) {
        acceptUpgrade(r);
      } else {
        upstreamBroken(); // only a WebSocket handshake is forwarded with an Upgrade
      }
      return;
    }
    informational = code < 200;
    if (!informational) {
      upstreamKeepAlive = HttpUtil.isKeepAlive(r);
    }
    HopByHopHeaders.strip(r.headers());
    if (h2c) {
      for (ExtensionHeaderNames n : ExtensionHeaderNames.values()) {
        r.headers().remove(n.text()); // added by the HTTP/2 to HTTP/1 conversion
      }
    }
    if (!informational) {
      responseEdits.applyTo(r.headers());
      frameForClient(r, code);
      if (downstream.isDraining()) {
        r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      }
    }
    r.setProtocolVersion(HttpVersion.HTTP_1_1);
    responseStarted = true;
    relay(r);
  }

  /**
   * Relays the backend's 101 with only the WebSocket upgrade headers as hop-by-hop ones; the route
   * timeouts end here. The switch waits for the 101's (empty) end, read once this write completed.
   */
  private void acceptUpgrade(HttpResponse r) {
    switching = true;
    cancelTimers();
    HopByHopHeaders.strip(r.headers());
    responseEdits.applyTo(r.headers());
    WebSocketUpgrade.restore(r.headers());
    r.setProtocolVersion(HttpVersion.HTTP_1_1);
    responseStarted = true;
    relay(r);
  }

  private void onResponseContent(HttpContent c) {
    if (switching) {
      c.release(); // the 101's end: empty
      done = true;
      Channel ch = upstream;
      upstream = null;
      if (ch != null) {
        downstream.exchangeUpgraded(ch);
      }
      return;
    }
    if (!(c instanceof LastHttpContent) || informational) {
      informational = false;
      relay(c);
      return;
    }
    done = true;
    cancelTimers();
    releasePending();
    downstream.write(c).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
    Channel ch = upstream;
    upstream = null;
    if (ch != null) {
      if (!h2c && !upgrade && upstreamKeepAlive && requestWritten) {
        pool.release(endpoint, ch);
      } else {
        UpstreamPool.detach(ch);
        ch.close();
      }
    }
    downstream.exchangeFinished();
  }

  /**
   * An unframed (close-delimited) response becomes chunked for an HTTP/1.1 client, which keeps its
   * connection reusable; an HTTP/1.0 client cannot take chunks, so it gets the body close-delimited
   * ({@code HttpServerKeepAliveHandler} then closes after the response).
   */
  private void frameForClient(HttpResponse r, int code) {
    if (head || code == 204 || code == 304 || HttpUtil.isContentLengthSet(r)) {
      return;
    }
    boolean chunked = HttpUtil.isTransferEncodingChunked(r);
    if (!chunked && clientHttp11) {
      HttpUtil.setTransferEncodingChunked(r, true);
    } else if (chunked && !clientHttp11) {
      HttpUtil.setTransferEncodingChunked(r, false);
    }
  }

  /** Writes a response part to the client and reads the next one once that write completed. */
  private void relay(HttpObject part) {
    Channel ch = upstream;
    ChannelFuture f = downstream.write(part);
    f.addListener((ChannelFutureListener) w -> {
      if (!w.isSuccess()) {
        abort();
      } else if (!done && upstream == ch && ch != null) {
        UpstreamPool.read(ch);
      }
    });
  }

  @Override
  public void onUpstreamClosed() {
    if (done) {
      return;
    }
    if (reused && !retried && !responseStarted && (!headWritten || replayable())) {
      retried = true;
      reused = false;
      headWritten = false;
      requestWritten = false;
      upstream = null;
      cancel(attemptTimer);
      attemptTimer = schedule(timeouts.backendRequest());
      connect();
      return;
    }
    upstream = null;
    upstreamBroken();
  }

  private boolean replayable() {
    return !bodySent && IDEMPOTENT.contains(request.method());
  }

  /** Reset or malformed response: 502 while nothing reached the client, else close the client. */
  private void upstreamBroken() {
    if (responseStarted) {
      abort();
    } else {
      fail(502, "upstream reset or protocol error");
    }
  }

  private void fail(int status, String body) {
    done = true;
    closeUpstream();
    downstream.exchangeFailed(status, body);
  }

  private void abort() {
    if (!done) {
      done = true;
      closeUpstream();
      downstream.exchangeAborted();
    }
  }

  /**
   * The client connection closed or sent a broken body: stop and close the upstream connection.
   *
   * @return whether any part of the response was already sent to the client
   */
  boolean cancel() {
    done = true;
    closeUpstream();
    return responseStarted;
  }

  private void releasePending() {
    HttpContent p = pending;
    pending = null;
    if (p != null) {
      p.release();
    }
  }

  private @Nullable ScheduledFuture<?> schedule(@Nullable Duration timeout) {
    return timeout == null
        ? null
        : downstream.eventLoop().schedule(this::timedOut, timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** A timeout fired: 504 while nothing reached the client, else close the client. */
  private void timedOut() {
    if (done) {
      return;
    }
    if (responseStarted) {
      abort();
    } else {
      fail(504, "upstream request timeout");
    }
  }

  private void cancelTimers() {
    cancel(requestTimer);
    cancel(attemptTimer);
    requestTimer = null;
    attemptTimer = null;
  }

  private static void cancel(@Nullable ScheduledFuture<?> timer) {
    if (timer != null) {
      timer.cancel(false);
    }
  }

  private void closeUpstream() {
    cancelTimers();
    releasePending();
    Channel ch = upstream;
    upstream = null;
    if (ch != null) {
      UpstreamPool.detach(ch);
      ch.close();
    }
  }
}
