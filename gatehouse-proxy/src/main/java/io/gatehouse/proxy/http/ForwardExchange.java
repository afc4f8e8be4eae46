package io.gatehouse.proxy.http;

import io.gatehouse.model.Retry;
import io.gatehouse.model.Timeouts;
import io.gatehouse.proxy.route.HeaderEdits;
import io.gatehouse.proxy.upstream.H2cConnections;
import io.gatehouse.proxy.upstream.UpstreamCluster;
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
import io.netty.handler.codec.http.HttpHeaders;
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
import java.util.ArrayDeque;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * One request forwarded to the upstream, relaying both bodies as they stream. Each attempt goes to
 * an endpoint of the route's cluster over an HTTP/1.1 connection from the pool or, for an h2c
 * cluster, a fresh HTTP/2 stream on the loop's shared connection.
 *
 * <p>
 * Lifecycle, all on the downstream connection's event loop:
 * <ol>
 * <li>take an idle pooled connection, or connect (failure: 503);
 * <li>write the request head, then each request body part as the client sends it, reading the next
 * part from the client only when the previous write completed; likewise each response part
 * downstream, reading the next from the upstream only when the client write completed;
 * <li>on the last response part, return the connection to the pool when both sides agreed on
 * keep-alive and the whole request was written, else close it.
 * </ol>
 * An upstream reset or malformed response gives 502 while nothing was sent to the client, and
 * closes the client connection after that. The route's timeouts (Gateway API
 * {@code HTTPRouteTimeouts}) run as timers on the same event loop: {@code request} from the start
 * of the exchange over all attempts, {@code backendRequest} from the start of each attempt, both
 * until the last response part; when one ends the exchange the upstream connection is closed (never
 * pooled) and the client gets 504, or is disconnected if the response had started.
 *
 * <p>
 * Retries (Gateway API {@code HTTPRouteRetry}, {@link Retry}): after a connection error, a backend
 * request timeout or a response status listed in the policy, the request is sent again after the
 * backoff, up to {@code attempts} times, but only while it is safe:
 * <ul>
 * <li>nothing of the response reached the client (a listed status is recognised from the response
 * head, before anything is relayed);
 * <li>every body part read from the client so far is kept ({@link BodyReplay}, at most 64 KiB), so
 * the new attempt replays it and then streams the rest;
 * <li>the request cannot have reached the backend (the connection failed before the head was
 * written) or its method is idempotent (RFC 9110 §9.2.2): a POST that reached the backend is never
 * sent twice.
 * </ul>
 * With a retry policy, a connection error that ends the exchange answers 503. Without one, a
 * <em>reused</em> connection that closes before any response byte is retried once on a fresh
 * connection if nothing of the request was written yet, or if the request is idempotent and had no
 * body bytes (RFC 9112 §9.3.1): the server closed the connection while it sat idle, a race no check
 * at acquisition can rule out.
 *
 * <p>
 * A gRPC call ({@link GrpcProtocol}) is relayed like any HTTP/2 request, both directions at once;
 * in addition its deadline is the shorter of the request timeout and its {@code grpc-timeout}, sent
 * upstream as {@code grpc-timeout}, and a deadline that passes after the response started ends it
 * with {@code DEADLINE_EXCEEDED} trailers instead of a reset. A response that is one HEADERS frame
 * with END_STREAM (a gRPC trailers-only response) goes to an HTTP/2 client as such.
 *
 * <p>
 * A WebSocket handshake ({@code upgrade}) always opens a fresh connection, which is closed after
 * any answer but a 101; a 101 hands both connections to {@link WebSocketTunnel}.
 *
 * <p>
 * Ownership: request parts passed to {@link #onRequestContent} are queued, then written to the
 * upstream (whose codec releases them) or released here; response parts passed to
 * {@link #onUpstreamMessage} are written to the client or released here.
 */
final class ForwardExchange implements UpstreamListener {
  /** RFC 9110 §9.2.2. */
  private static final Set<HttpMethod> IDEMPOTENT = Set.of(HttpMethod.GET, HttpMethod.HEAD,
      HttpMethod.OPTIONS, HttpMethod.TRACE, HttpMethod.PUT, HttpMethod.DELETE);
  /** The wait before a retry when the route sets no backoff. */
  static final Duration DEFAULT_BACKOFF = Duration.ofMillis(25);

  private final DownstreamHandler downstream;
  private final HttpRequest request;
  private final HeaderEdits responseEdits;
  private final UpstreamPool pool;
  private final UpstreamCluster cluster;
  private final boolean clientHttp11;
  private final boolean head;
  private final boolean h2c;
  private final Timeouts timeouts;
  private final Retry retry;
  /** The body read so far, kept for retries; null without a retry policy. */
  private final @Nullable BodyReplay replay;
  /** Body parts still to be written on the current attempt, in order. */
  private final ArrayDeque<HttpContent> queue = new ArrayDeque<>();
  private int retriesLeft;
  /** Counts attempts, so that a connect completing after its attempt was given up is ignored. */
  private int attemptId;
  private @Nullable InetSocketAddress endpoint;
  /** The first attempt's endpoint, chosen by the caller; null once used. */
  private @Nullable InetSocketAddress nextEndpoint;
  private final boolean upgrade;
  /** The request is a gRPC call on an HTTP/2 stream (see {@link GrpcProtocol}). */
  private final boolean grpc;
  /** The call's {@code grpc-timeout}, or null. */
  private final @Nullable Duration grpcTimeout;
  private @Nullable ScheduledFuture<?> requestTimer;
  private @Nullable ScheduledFuture<?> attemptTimer;
  private @Nullable ScheduledFuture<?> backoffTimer;
  private @Nullable Channel upstream;
  private boolean reused;
  private boolean staleRetried;
  /** The current attempt's head was handed to the connection: the backend may have seen it. */
  private boolean headSent;
  private boolean headWritten;
  /** A body part write of the current attempt is in flight. */
  private boolean writing;
  private boolean requestWritten;
  private boolean bodySent;
  private boolean lastSent;
  private boolean lastReceived;
  private boolean responseStarted;
  private boolean informational;
  private boolean upstreamKeepAlive;
  private boolean done;
  /** The backend accepted the WebSocket handshake; the 101's end switches to a tunnel. */
  private boolean switching;
  /** A response head was written to the client without a flush. */
  private boolean unflushed;

  /**
   * @param clientHttp11 whether the client spoke HTTP/1.1 (else 1.0: no chunked responses)
   * @param head whether the request is a HEAD (its response has no body whatever its headers say)
   * @param cluster where the request goes; each retry takes its next endpoint
   * @param firstEndpoint where the first attempt goes (the session's endpoint, or the cluster's
   * next one picked by the caller)
   * @param timeouts the route's request and backend request timeouts
   * @param retry the route's retry policy
   * @param upgrade whether {@code request} is a WebSocket handshake (see {@link WebSocketUpgrade})
   * @param grpc whether {@code request} is a gRPC call on an HTTP/2 stream
   * @param grpcTimeout the call's {@code grpc-timeout}, or null
   */
  ForwardExchange(DownstreamHandler downstream, HttpRequest request, HeaderEdits responseEdits,
      UpstreamPool pool, UpstreamCluster cluster, InetSocketAddress firstEndpoint,
      boolean clientHttp11, boolean head, Timeouts timeouts, Retry retry, boolean upgrade,
      boolean grpc, @Nullable Duration grpcTimeout) {
    this.downstream = downstream;
    this.request = request;
    this.responseEdits = responseEdits;
    this.pool = pool;
    this.cluster = cluster;
    this.nextEndpoint = firstEndpoint;
    this.clientHttp11 = clientHttp11;
    this.head = head;
    this.h2c = cluster.isH2c();
    this.timeouts = timeouts;
    this.retry = retry;
    this.retriesLeft = retry.attempts();
    this.replay = retry.enabled() ? new BodyReplay() : null;
    this.upgrade = upgrade;
    this.grpc = grpc;
    this.grpcTimeout = grpcTimeout;
    // A bodiless request read whole: its head write carries its end, and nothing is read after it.
    this.lastReceived = request instanceof LastHttpContent;
  }

  void start() {
    Duration deadline = deadline();
    if (grpc && deadline != null) {
      // The backend learns the deadline the proxy enforces (the tighter of route and client).
      request.headers().set(GrpcProtocol.TIMEOUT, GrpcProtocol.formatTimeout(deadline));
    }
    requestTimer = schedule(deadline, this::requestTimedOut);
    attempt(false);
  }

  /** The route's request timeout, or the call's {@code grpc-timeout} when shorter. */
  private @Nullable Duration deadline() {
    Duration route = timeouts.request();
    if (grpcTimeout == null) {
      return route;
    }
    return route == null || grpcTimeout.compareTo(route) < 0 ? grpcTimeout : route;
  }

  /**
   * Starts an attempt: the first on the caller's endpoint, retries on the cluster's next one;
   * {@code fresh}: never a pooled connection.
   */
  private void attempt(boolean fresh) {
    InetSocketAddress e = nextEndpoint != null ? nextEndpoint : cluster.next();
    nextEndpoint = null;
    if (e == null) {
      fail(503, "no healthy upstream");
      return;
    }
    if (cluster.tlsUnusable()) {
      // BackendTLSPolicy: connections using an invalid CA reference must fail with a 5xx.
      fail(503, "upstream TLS is not configured correctly");
      return;
    }
    endpoint = e;
    attemptId++;
    reused = false;
    headSent = false;
    headWritten = false;
    writing = false;
    requestWritten = false;
    informational = false;
    upstreamKeepAlive = false;
    cancel(attemptTimer);
    attemptTimer = schedule(timeouts.backendRequest(), this::attemptTimedOut);
    if (h2c) {
      openStream(e);
      return;
    }
    // A handshake gets a connection of its own: it never returns to the pool.
    Channel ch = fresh || upgrade ? null : pool.acquireIdle(e, cluster.tls(), this);
    if (ch != null) {
      reused = true;
      writeHead(ch);
    } else {
      connect(e);
    }
  }

  private void connect(InetSocketAddress e) {
    int id = attemptId;
    pool.connect(downstream.eventLoop(), e, cluster.tls())
        .addListener((ChannelFutureListener) f -> {
          if (done || id != attemptId || backoffTimer != null) {
            f.channel().close(); // this attempt was abandoned meanwhile
          } else if (!f.isSuccess()) {
            connectionFailed(false);
          } else {
            UpstreamPool.attach(f.channel(), this);
            writeHead(f.channel());
          }
        });
  }

  private void openStream(InetSocketAddress e) {
    int id = attemptId;
    pool.openStream(downstream.eventLoop(), e, cluster.tls()).addListener(
        (Future<Http2StreamChannel> f) -> {
          if (done || id != attemptId || backoffTimer != null) {
            if (f.isSuccess()) {
              f.getNow().close();
            }
          } else if (f.cause() instanceof H2cConnections.StreamLimitException) {
            fail(503, "upstream stream limit reached");
          } else if (!f.isSuccess()) {
            connectionFailed(false);
          } else {
            UpstreamPool.attach(f.getNow(), this);
            writeHead(f.getNow());
          }
        });
  }

  private void writeHead(Channel ch) {
    upstream = ch;
    headSent = true;
    ch.writeAndFlush(request).addListener((ChannelFutureListener) f -> {
      if (upstream != ch || done) {
        return;
      }
      if (!f.isSuccess()) {
        ch.close(); // onUpstreamClosed retries or fails
        return;
      }
      headWritten = true;
      requestWritten |= request instanceof LastHttpContent;
      UpstreamPool.read(ch);
      pump();
    });
  }

  /** A request body part from the client; ownership passes here. */
  void onRequestContent(HttpContent content) {
    if (done) {
      content.release();
      return;
    }
    lastReceived |= content instanceof LastHttpContent;
    if (replay != null) {
      replay.add(content);
    }
    queue.add(content);
    pump();
  }

  /**
   * Writes the next queued body part once the head is written and no other part write is in flight;
   * with nothing queued, asks the client for the next part.
   */
  private void pump() {
    Channel ch = upstream;
    if (done || ch == null || !headWritten || writing) {
      return;
    }
    HttpContent next = queue.poll();
    if (next != null) {
      writeContent(ch, next);
    } else if (!lastReceived) {
      downstream.readRequestBody();
    }
  }

  private void writeContent(Channel ch, HttpContent content) {
    boolean last = content instanceof LastHttpContent;
    bodySent |= content.content().isReadable()
        || last && !((LastHttpContent) content).trailingHeaders().isEmpty();
    lastSent |= last;
    writing = true;
    ch.writeAndFlush(content).addListener((ChannelFutureListener) f -> {
      if (upstream != ch) {
        return; // the attempt was given up; the next one replays the body
      }
      writing = false;
      if (!f.isSuccess()) {
        ch.close();
        return;
      }
      requestWritten |= last;
      pump();
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
    } else if (msg instanceof FullHttpResponse full && !h2c && !upgrade) {
      onWholeResponse(full);
    } else if (msg instanceof FullHttpResponse full && isHeadersOnly(full)) {
      onHeadersOnlyResponse(full);
    } else if (msg instanceof FullHttpResponse full) {
      // HTTP/2 HEADERS with END_STREAM (no body, or a 1xx): relay as a head and its last part.
      LastHttpContent last = new DefaultLastHttpContent(full.content(), full.trailingHeaders());
      Channel ch = upstream;
      onResponseHead(
          new DefaultHttpResponse(full.protocolVersion(), full.status(), full.headers()));
      if (done || upstream != ch) {
        last.release(); // answered otherwise, or retried
      } else {
        onResponseContent(last);
      }
    } else {
      ReferenceCountUtil.release(msg);
      upstreamBroken();
    }
  }

  /**
   * A final response that is one HEADERS frame with END_STREAM, for a client on HTTP/2: relayed as
   * such, never as a head and an empty DATA frame (a gRPC trailers-only response carries its status
   * in these headers, and a gRPC client refuses it split).
   */
  private boolean isHeadersOnly(FullHttpResponse full) {
    int code = full.status().code();
    return code >= 200 && !upgrade && !full.content().isReadable()
        && full.trailingHeaders().isEmpty() && downstream.isHttp2();
  }

  /**
   * A final response from an HTTP/1.1 upstream that arrived whole (see {@code UpstreamHttpCodec}):
   * the same checks and edits as a head followed by its last part, relayed in one write.
   */
  private void onWholeResponse(FullHttpResponse full) {
    int code = full.status().code();
    if (retry.codes().contains(code) && mayRetry(true)) {
      full.release();
      retryLater(); // nothing of this response is relayed; its connection is closed
      return;
    }
    informational = false;
    upstreamKeepAlive = HttpUtil.isKeepAlive(full);
    stripForClient(full.headers());
    responseEdits.applyTo(full.headers());
    frameForClient(full, code);
    if (downstream.isDraining()) {
      full.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    }
    full.setProtocolVersion(HttpVersion.HTTP_1_1);
    responseStarted = true;
    finish(full);
  }

  private void onHeadersOnlyResponse(FullHttpResponse full) {
    if (retry.codes().contains(full.status().code()) && mayRetry(true)) {
      full.release();
      retryLater();
      return;
    }
    stripForClient(full.headers());
    responseEdits.applyTo(full.headers());
    full.setProtocolVersion(HttpVersion.HTTP_1_1);
    responseStarted = true;
    finish(full);
  }

  /**
   * Removes a response head's hop-by-hop headers and, from an HTTP/2 upstream, the extension
   * headers its conversion to HTTP/1 objects added.
   */
  private void stripForClient(HttpHeaders headers) {
    HopByHopHeaders.strip(headers);
    if (h2c) {
      for (ExtensionHeaderNames n : ExtensionHeaderNames.values()) {
        headers.remove(n.text());
      }
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
    if (retry.codes().contains(code) && mayRetry(true)) {
      retryLater(); // nothing of this response is relayed; its connection is closed
      return;
    }
    informational = code < 200;
    if (!informational) {
      upstreamKeepAlive = HttpUtil.isKeepAlive(r);
    }
    stripForClient(r.headers());
    if (!informational) {
      responseEdits.applyTo(r.headers());
      frameForClient(r, code);
      if (downstream.isDraining()) {
        r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      }
    }
    r.setProtocolVersion(HttpVersion.HTTP_1_1);
    responseStarted = true;
    if (informational) {
      relay(r);
    } else {
      relayHead(r);
    }
  }

  /**
   * Writes a final response head to the client without a flush and asks for the next part at once
   * (a head is small and bounded): the body part that usually came in the same upstream read then
   * leaves in the same write. What is still unflushed when the upstream read completes is flushed
   * then ({@link #onUpstreamReadComplete}), so a head whose body comes later is not held back.
   */
  private void relayHead(HttpResponse r) {
    Channel ch = upstream;
    unflushed = true;
    downstream.write(r, false).addListener((ChannelFutureListener) w -> {
      if (!w.isSuccess()) {
        abort();
      }
    });
    if (!done && upstream == ch && ch != null) {
      UpstreamPool.read(ch);
    }
  }

  @Override
  public void onUpstreamReadComplete() {
    if (unflushed) {
      unflushed = false;
      downstream.flush();
    }
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
    finish(c);
  }

  /**
   * Writes the response's last part (or whole headers-only response) and ends the exchange: the
   * connection returns to the pool when reusable, else it (or the h2c stream) is closed.
   */
  private void finish(HttpObject last) {
    done = true;
    unflushed = false;
    cancelTimers();
    releaseBody();
    downstream.write(last).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
    Channel ch = upstream;
    upstream = null;
    InetSocketAddress e = endpoint;
    if (ch != null) {
      if (!h2c && !upgrade && upstreamKeepAlive && requestWritten && e != null
          && !UpstreamPool.hasUnreadInput(ch)) {
        pool.release(e, cluster.tls(), ch);
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
    unflushed = false;
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
    upstream = null;
    if (responseStarted) {
      abort();
    } else {
      connectionFailed(headSent);
    }
  }

  /**
   * The attempt's connection failed or closed before a response started.
   *
   * @param reached whether the backend may have seen the request
   */
  private void connectionFailed(boolean reached) {
    if (mayRetry(reached)) {
      retryLater();
    } else if (!retry.enabled() && reused && !staleRetried
        && (!headWritten || !bodySent && IDEMPOTENT.contains(request.method()))) {
      staleRetried = true;
      closeAttempt();
      rewind();
      attempt(true);
    } else if (retry.enabled() || !reached) {
      fail(503, reached ? "upstream reset before the response" : "upstream connect error");
    } else {
      fail(502, "upstream reset or protocol error");
    }
  }

  /**
   * Whether a retry is allowed now: attempts are left, nothing reached the client, every body part
   * read so far is kept, and the request cannot have reached the backend or is idempotent.
   */
  private boolean mayRetry(boolean reached) {
    return retriesLeft > 0 && !done && !responseStarted && replay != null && replay.complete()
        && (!reached || IDEMPOTENT.contains(request.method()));
  }

  /** Gives up the current attempt and starts the next one after the backoff. */
  private void retryLater() {
    retriesLeft--;
    closeAttempt();
    rewind();
    Duration wait = retry.backoff() == null ? DEFAULT_BACKOFF : retry.backoff();
    if (!wait.isPositive()) {
      attempt(false);
      return;
    }
    backoffTimer = downstream.eventLoop().schedule(() -> {
      backoffTimer = null;
      if (!done) {
        attempt(false);
      }
    }, wait.toNanos(), TimeUnit.NANOSECONDS);
  }

  /**
   * Queues the body again for a new attempt: from the replay buffer when there is one; else the
   * parts never written are still queued, and at most an empty last part was written (the stale
   * connection rule allows no more), which is queued again.
   */
  private void rewind() {
    if (replay != null && replay.complete()) {
      releaseQueue();
      replay.copyTo(queue);
    } else if (lastSent && queue.isEmpty()) {
      queue.add(LastHttpContent.EMPTY_LAST_CONTENT);
    }
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

  private @Nullable ScheduledFuture<?> schedule(@Nullable Duration timeout, Runnable task) {
    return timeout == null
        ? null
        : downstream.eventLoop().schedule(task, GrpcProtocol.saturatedNanos(timeout),
            TimeUnit.NANOSECONDS);
  }

  /** The upstream idle timeout: as the request timeout. */
  @Override
  public void onUpstreamIdle() {
    requestTimedOut();
  }

  /**
   * The request timeout (or the gRPC deadline) fired: 504 while nothing reached the client; after
   * that a gRPC call ends with {@code DEADLINE_EXCEEDED} trailers, anything else by closing the
   * client connection (an HTTP/2 client: the stream reset). The upstream request is cancelled.
   */
  private void requestTimedOut() {
    if (done) {
      return;
    }
    if (responseStarted && grpc && !informational && !switching) {
      closeUpstream();
      finish(GrpcProtocol.trailers(GrpcProtocol.DEADLINE_EXCEEDED, "upstream request timeout"));
    } else if (responseStarted) {
      abort();
    } else {
      fail(504, "upstream request timeout");
    }
  }

  /** The backend request timeout fired: retry when allowed, else as the request timeout. */
  private void attemptTimedOut() {
    if (!done && !responseStarted && mayRetry(headSent)) {
      retryLater();
    } else {
      requestTimedOut();
    }
  }

  private void cancelTimers() {
    cancel(requestTimer);
    cancel(attemptTimer);
    cancel(backoffTimer);
    requestTimer = null;
    attemptTimer = null;
    backoffTimer = null;
  }

  private static void cancel(@Nullable ScheduledFuture<?> timer) {
    if (timer != null) {
      timer.cancel(false);
    }
  }

  /** Ends the current attempt: its timer stops and its connection is closed, never pooled. */
  private void closeAttempt() {
    cancel(attemptTimer);
    attemptTimer = null;
    writing = false;
    Channel ch = upstream;
    upstream = null;
    if (ch != null) {
      UpstreamPool.detach(ch);
      ch.close();
    }
  }

  private void closeUpstream() {
    cancelTimers();
    releaseBody();
    closeAttempt();
  }

  private void releaseBody() {
    releaseQueue();
    if (replay != null) {
      replay.release();
    }
  }

  private void releaseQueue() {
    HttpContent p;
    while ((p = queue.poll()) != null) {
      p.release();
    }
  }
}
