package io.gatehouse.proxy.http;

import io.gatehouse.model.HeaderPolicy;
import io.gatehouse.model.PathPolicy;
import io.gatehouse.model.Retry;
import io.gatehouse.proxy.edge.EdgeHeaders;
import io.gatehouse.proxy.edge.PathCanonicalizer;
import io.gatehouse.proxy.route.BackendFilters;
import io.gatehouse.proxy.route.CorsPolicy;
import io.gatehouse.proxy.route.HeaderEdits;
import io.gatehouse.proxy.route.RouteAction;
import io.gatehouse.proxy.route.RouteEntry;
import io.gatehouse.proxy.route.RouteRequest;
import io.gatehouse.proxy.route.RouteTable;
import io.gatehouse.proxy.route.SessionPolicy;
import io.gatehouse.proxy.upstream.UpstreamCluster;
import io.gatehouse.proxy.upstream.UpstreamPool;
import io.gatehouse.proxy.tls.TlsConnection;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.gatehouse.proxy.flow.ReadDemandHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Last handler of a client connection ({@code [TLS →] HttpServerCodec → ReadDemandHandler →
 * HttpServerKeepAliveHandler → DownstreamHandler}): routes each request and answers it locally
 * (direct responses, redirects, errors, CORS preflights) or through a {@link ForwardExchange}, with
 * copies to the route's mirrors ({@link RequestMirrors}, fire-and-forget); the final response head
 * of a request on a route with a CORS filter gets its CORS headers in {@link #write}, whoever
 * produced it. The {@link ListenerOrigin} says which scheme the client used
 * ({@code X-Forwarded-Proto}, redirect defaults) and the listener's Gateway port. A WebSocket
 * handshake that the backend accepts turns the connection into a tunnel ({@link WebSocketTunnel}),
 * which removes this handler. A gRPC call on HTTP/2 gets every local answer as a gRPC status
 * ({@link GrpcProtocol#localReply}) and is forwarded with {@code te: trailers}.
 *
 * <p>
 * Auto-read is off and {@link io.gatehouse.proxy.flow.ReadDemandHandler} delivers one message per
 * {@code read()}, so this handler decides when the next request part is read: the head is read when
 * the connection is idle, body parts when the upstream write of the previous one completed (or at
 * once when the body is discarded), the next request when both the request and its response are
 * done. The route table is read once per request, when its head arrives.
 *
 * <p>
 * Ownership: request heads are not reference-counted (a failed head may be a full request, released
 * here). Body parts go to the exchange, which owns them, or are released here when discarded.
 * Responses written here are released by the codec.
 */
public final class DownstreamHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(DownstreamHandler.class);

  private enum State {
    /** Waiting for a request head. */
    IDLE,
    /** Body parts go to {@link #exchange}. */
    FORWARDING,
    /** The response is settled; body parts are released until the last one. */
    DISCARDING,
    /** Answered 400 to a malformed request; closing. */
    CLOSING
  }

  private final Supplier<RouteTable> table;
  private final UpstreamPool pool;
  private final ListenerOrigin origin;
  private final PathPolicy pathPolicy;
  private final HeaderPolicy headerPolicy;
  private final BooleanSupplier overloaded;
  private final EdgeCounters counters;
  private final AccessLog accessLog;
  /** The access log entry of the current request until its last response byte is written. */
  private AccessLog.@Nullable Entry entry;
  private @Nullable ChannelHandlerContext ctx;
  /** The pipeline's {@link ReadDemandHandler}, for {@link ReadDemandHandler#prefetch}. */
  private @Nullable ReadDemandHandler demand;
  private State state = State.IDLE;
  private @Nullable ForwardExchange exchange;
  /** The mirrored copies of the current request while its body is still arriving. */
  private @Nullable RequestMirrors mirrors;
  private boolean requestReceived;
  private boolean draining;
  private @Nullable ChannelFuture lastWrite;
  /** A read was asked for and no message arrived yet: never ask twice (see {@link #read}). */
  private boolean readPending;
  /** The CORS headers still to add to the final response of the current request, if any. */
  private @Nullable CorsResponse corsResponse;
  private @Nullable String peer;
  /**
   * The current request is a gRPC call on an HTTP/2 stream: the answers the proxy gives itself are
   * gRPC statuses ({@link GrpcProtocol#localReply}), not HTTP error pages.
   */
  private boolean grpc;

  /** A route's CORS policy and the current request's {@code Origin} (null when absent). */
  private record CorsResponse(CorsPolicy policy, @Nullable String origin) {
  }

  /** With the default {@link PathPolicy} and {@link HeaderPolicy}. */
  public DownstreamHandler(Supplier<RouteTable> table, UpstreamPool pool, ListenerOrigin origin) {
    this(table, pool, origin, PathPolicy.DEFAULT, HeaderPolicy.DEFAULT, () -> false);
  }

  /**
   * @param pathPolicy how request paths are canonicalised before routing
   * @param headerPolicy header limits, underscores and client identity
   * @param overloaded while true, new requests are answered 503 and the connection is closed (the
   * overload guard sheds load)
   */
  public DownstreamHandler(Supplier<RouteTable> table, UpstreamPool pool, ListenerOrigin origin,
      PathPolicy pathPolicy, HeaderPolicy headerPolicy, BooleanSupplier overloaded) {
    this(table, pool, origin, pathPolicy, headerPolicy, overloaded, new EdgeCounters(),
        AccessLog.DEFAULT);
  }

  /**
   * With the overload state, reject counters and access log of {@code edge}: refused requests are
   * counted there, and every request gets an access log line.
   */
  public DownstreamHandler(Supplier<RouteTable> table, UpstreamPool pool, ListenerOrigin origin,
      PathPolicy pathPolicy, HeaderPolicy headerPolicy, EdgeContext edge) {
    this(table, pool, origin, pathPolicy, headerPolicy, edge::overloaded, edge.counters(),
        edge.accessLog());
  }

  private DownstreamHandler(Supplier<RouteTable> table, UpstreamPool pool, ListenerOrigin origin,
      PathPolicy pathPolicy, HeaderPolicy headerPolicy, BooleanSupplier overloaded,
      EdgeCounters counters, AccessLog accessLog) {
    this.counters = counters;
    this.accessLog = accessLog;
    this.table = table;
    this.pool = pool;
    this.origin = origin;
    this.pathPolicy = pathPolicy;
    this.headerPolicy = headerPolicy;
    this.overloaded = overloaded;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    this.demand = ctx.pipeline().get(ReadDemandHandler.class);
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    read();
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    readPending = false;
    if (state == State.CLOSING) {
      ReferenceCountUtil.release(msg);
    } else if (msg instanceof HttpRequest req) {
      try {
        onRequestHead(req);
      } finally {
        ReferenceCountUtil.release(msg); // only a failed head is a (full, counted) message
      }
      ReadDemandHandler d = demand;
      if (requestReceived && state == State.FORWARDING && d != null && !isHttp2()) {
        d.prefetch(); // read whole and forwarded: keep reading armed for the next request
      }
    } else if (msg instanceof HttpContent c) {
      onRequestContent(c);
    } else {
      ReferenceCountUtil.release(msg);
    }
  }

  private void onRequestHead(HttpRequest req) {
    // A bodiless HTTP/1.1 request arrives whole (Http1RequestValidator): nothing more to read.
    requestReceived = req instanceof LastHttpContent;
    corsResponse = null;
    grpc = isHttp2() && GrpcProtocol.isGrpc(req.headers());
    abortEntry("request abandoned before its response completed");
    entry = accessLog.begin(ctx().channel(), req);
    if (state != State.IDLE || req.decoderResult().isFailure()) {
      reject(req.decoderResult().cause());
      return;
    }
    if (overloaded.getAsBoolean()) {
      draining = true; // close after the answer
      counters.increment(EdgeCounters.OVERLOAD);
      respond(503, "overloaded");
      return;
    }
    String uri = req.uri();
    int q = uri.indexOf('?');
    String path = q < 0 ? uri : uri.substring(0, q);
    if (!path.startsWith("/") && !(path.equals("*") && req.method().equals(HttpMethod.OPTIONS))) {
      counters.increment(EdgeCounters.BAD_PATH);
      refuse(400, "bad request: the path must start with '/'");
      return;
    }
    String query = q < 0 ? "" : uri.substring(q + 1);
    EdgeHeaders.Refusal refusal = EdgeHeaders.admit(req.headers(), headerPolicy);
    if (refusal != null) {
      counters.increment(refusal.status() == 431
          ? EdgeCounters.HEADER_TOO_LARGE
          : EdgeCounters.UNDERSCORE_HEADER);
      refuse(refusal.status(), refusal.reason());
      return;
    }
    String canonical = canonicalize(req, path, q < 0 ? null : query);
    if (canonical == null) {
      return;
    }
    path = canonical;
    entry().path(path);
    RouteRequest rr = new RouteRequest(req.method().name(), path, query, req.headers());
    String authority = req.headers().get(HttpHeaderNames.HOST);
    if (misdirected(authority)) {
      counters.increment(EdgeCounters.MISDIRECTED);
      respond(421, "misdirected request: the host belongs to another listener than the SNI");
      return;
    }
    RouteEntry route = table.get().select(authority, rr);
    if (route == null) {
      respond(404, "route not found");
      return;
    }
    entry().route(route.id());
    CorsPolicy cors = route.cors();
    if (cors != null) {
      if (CorsPolicy.isPreflight(req.method(), req.headers())) {
        answer(LocalResponses.preflight(cors, req.headers(), draining));
        return;
      }
      corsResponse = new CorsResponse(cors, req.headers().get(HttpHeaderNames.ORIGIN));
    }
    switch (route.action()) {
      case RouteAction.Direct d -> answer(
          LocalResponses.of(ctx().alloc(), d.status(), d.body(), draining));
      case RouteAction.Forward f -> forward(req, route, f, authority, path, query);
      case RouteAction.Redirect r -> redirect(r,
          r.location().of(origin.scheme(), authority, path, query, origin.port()));
    }
  }

  /**
   * Replaces the request target by its canonical form ({@link PathCanonicalizer}): from here on,
   * routing, filters, redirects and the forwarded target all use that one path. Returns it, or null
   * when the request was answered (400, or 307 under {@code UNESCAPE_AND_REDIRECT}).
   */
  private @Nullable String canonicalize(HttpRequest req, String path, @Nullable String query) {
    if (!path.startsWith("/")) {
      return path; // OPTIONS *
    }
    if (query != null && query.indexOf('#') >= 0) {
      counters.increment(EdgeCounters.BAD_PATH);
      refuse(400, "bad request: '#' in request target");
      return null;
    }
    switch (PathCanonicalizer.canonicalize(path, pathPolicy)) {
      case PathCanonicalizer.Rejected r -> {
        counters.increment(EdgeCounters.BAD_PATH);
        refuse(400, "bad request: " + r.reason());
        return null;
      }
      case PathCanonicalizer.Redirect r -> {
        answer(LocalResponses.redirect(307, query == null ? r.path() : r.path() + "?" + query,
            draining));
        return null;
      }
      case PathCanonicalizer.Canonical c -> {
        if (c.path() != path) { // the same instance: the target is already canonical
          req.setUri(query == null ? c.path() : c.path() + "?" + query);
        }
        return c.path();
      }
    }
  }

  private void redirect(RouteAction.Redirect r, @Nullable String location) {
    if (location == null) {
      respond(400, "bad request: no valid Host to redirect to");
      return;
    }
    answer(LocalResponses.redirect(r.status(), location, draining));
  }

  private void forward(HttpRequest req, RouteEntry route, RouteAction.Forward f,
      @Nullable String authority, String path, String query) {
    SessionPolicy session = f.session();
    SessionPolicy.Pinned pinned = session == null ? null : session.pinned(req.headers());
    RouteAction.Backend backend = pinned != null
        ? pinned.backend()
        : f.pickBackend(ThreadLocalRandom.current().nextLong(f.total()));
    if (backend == null) {
      respond(500, "no valid backend");
      return;
    }
    BackendFilters filters = backend.filters();
    RouteAction.Redirect redirect = filters.redirect();
    if (redirect != null) {
      redirect(redirect,
          redirect.location().of(origin.scheme(), authority, path, query, origin.port()));
      return;
    }
    UpstreamCluster cluster = backend.cluster();
    InetSocketAddress endpoint = pinned != null ? pinned.endpoint() : cluster.next();
    if (endpoint == null) {
      respond(503, "no healthy upstream");
      return;
    }
    boolean http11 = req.protocolVersion().equals(HttpVersion.HTTP_1_1);
    boolean head = req.method().equals(HttpMethod.HEAD);
    boolean upgrade = WebSocketUpgrade.isHandshake(req);
    if (upgrade && cluster.isH2c()) {
      respond(501, "WebSocket upgrade not supported: the backend speaks h2c");
      return;
    }
    Duration grpcTimeout = grpc ? grpcTimeout(req) : null;
    HopByHopHeaders.strip(req.headers());
    if (grpc && cluster.isH2c()) {
      req.headers().set(HttpHeaderNames.TE, HttpHeaderValues.TRAILERS); // gRPC requires it
    }
    if (upgrade) {
      WebSocketUpgrade.restore(req.headers());
    }
    // After the hop-by-hop strip: a name listed in Connection cannot remove what we set here.
    EdgeHeaders.setForwarding(req.headers(), headerPolicy.identity(), peerAddress(),
        origin.scheme());
    // Rewrite first, so a RequestHeaderModifier that sets Host still has the last word.
    route.rewrite().applyTo(req);
    filters.rewrite().applyTo(req);
    route.requestEdits().applyTo(req.headers());
    filters.requestEdits().applyTo(req.headers());
    req.setProtocolVersion(HttpVersion.HTTP_1_1);
    state = State.FORWARDING;
    entry().upstream(endpoint);
    HeaderEdits responseEdits = HeaderEdits.concat(route.responseEdits(), filters.responseEdits());
    if (session != null && pinned == null) {
      // A new session: its token goes out with the upstream's answer (never with a local error).
      // It names the first attempt's endpoint; a retry elsewhere still answers under it.
      responseEdits = HeaderEdits.concat(responseEdits,
          session.issue(backend, endpoint, origin.scheme().equals("https")));
    }
    if (!upgrade && !route.mirrors().isEmpty()) {
      // A WebSocket handshake is not mirrored: a mirror cannot take part in the tunnel.
      mirrors = RequestMirrors.start(route.mirrors(), req, pool, eventLoop(), ctx().alloc());
    }
    // A handshake is not retried: its connection becomes the tunnel.
    exchange = new ForwardExchange(this, req, responseEdits, pool, cluster, endpoint, http11,
        head, route.timeouts(), upgrade ? Retry.NONE : route.retry(), upgrade, grpc, grpcTimeout);
    exchange.start();
  }

  /**
   * The call's {@code grpc-timeout}, or null without one; a malformed value is ignored and not
   * forwarded.
   */
  private static @Nullable Duration grpcTimeout(HttpRequest req) {
    String value = req.headers().get(GrpcProtocol.TIMEOUT);
    Duration timeout = GrpcProtocol.parseTimeout(value);
    if (value != null && timeout == null) {
      req.headers().remove(GrpcProtocol.TIMEOUT);
    }
    return timeout;
  }

  private void onRequestContent(HttpContent c) {
    boolean last = c instanceof LastHttpContent;
    if (c.decoderResult().isFailure()) {
      cancelMirrors();
      c.release();
      // Never forward a broken message. Answer 400 unless a response is already on its way.
      ForwardExchange ex = exchange;
      exchange = null;
      boolean responded = state == State.DISCARDING || ex != null && ex.cancel();
      if (responded) {
        counters.increment(EdgeCounters.reasonOf(400, c.decoderResult().cause()));
        state = State.CLOSING;
        closeAfterWrites();
      } else {
        reject(c.decoderResult().cause());
      }
      return;
    }
    requestReceived |= last;
    RequestMirrors m = mirrors;
    if (m != null && m.onContent(c)) {
      mirrors = null;
    }
    switch (state) {
      case FORWARDING -> exchange().onRequestContent(c);
      case DISCARDING -> {
        c.release();
        if (last) {
          nextRequest();
        } else {
          read();
        }
      }
      default -> {
        c.release();
        ctx().close();
      }
    }
  }

  /**
   * Whether the request's host names another HTTPS listener of this port than the TLS server name
   * of its connection (the parent connection of an HTTP/2 stream); never on cleartext.
   */
  private boolean misdirected(@Nullable String authority) {
    Channel ch = ctx().channel();
    Channel connection = ch instanceof Http2StreamChannel && ch.parent() != null
        ? ch.parent()
        : ch;
    TlsConnection tls = TlsConnection.of(connection);
    return tls != null && tls.misdirected(authority);
  }

  /** Answers locally, then discards what is left of the request body. */
  private void respond(int status, String body) {
    if (entry != null) {
      entry.reason(body);
    }
    answer(grpc
        ? GrpcProtocol.localReply(status, body)
        : LocalResponses.of(ctx().alloc(), status, body, draining));
  }

  /**
   * Answers a request the edge refuses before routing (bad target, path or header fields) and
   * closes the connection after it: a client that sent one malformed request is not trusted with
   * the next one on the same connection (SECURITY.md A8).
   */
  private void refuse(int status, String body) {
    draining = true;
    respond(status, body);
  }

  private void answer(FullHttpResponse response) {
    state = State.DISCARDING;
    write(response);
    if (requestReceived) {
      nextRequest();
    } else {
      read();
    }
  }

  /** A request that ended without its whole body is not mirrored. */
  private void cancelMirrors() {
    RequestMirrors m = mirrors;
    mirrors = null;
    if (m != null) {
      m.cancel();
    }
  }

  /** 400 and close: the request is malformed and its framing cannot be trusted. */
  private void reject() {
    reject(400);
  }

  /**
   * Closes after the answer to a malformed request: 431 for an oversized header block, the status
   * of an {@link Http1Violation}, else 400.
   */
  private void reject(@Nullable Throwable cause) {
    int status = cause instanceof TooLongHttpHeaderException
        ? 431
        : Http1Violation.statusOf(cause);
    counters.increment(EdgeCounters.reasonOf(status, cause));
    if (entry != null && cause != null && cause.getMessage() != null) {
      entry.reason(cause.getMessage());
    }
    reject(status);
  }

  /** {@code status} and close: the request's framing cannot be trusted. */
  private void reject(int status) {
    cancelMirrors();
    state = State.CLOSING;
    String body = status == 431
        ? "request header fields too large"
        : HttpResponseStatus.valueOf(status).reasonPhrase().toLowerCase(Locale.ROOT);
    FullHttpResponse response = grpc
        ? GrpcProtocol.localReply(status, body)
        : LocalResponses.of(ctx().alloc(), status, body, true);
    AccessLog.Entry e = entry;
    entry = null;
    if (e != null) {
      e.reason(body);
      e.onWrite(response);
    }
    lastWrite = LingeringClose.respondAndClose(ctx(), response);
    if (e != null) {
      lastWrite.addListener(f -> e.finish());
    }
  }

  private void nextRequest() {
    state = State.IDLE;
    if (draining) {
      closeAfterWrites();
    } else {
      read();
    }
  }

  private void closeAfterWrites() {
    ChannelFuture w = lastWrite;
    if (w == null || w.isDone()) {
      ctx().close();
    } else {
      w.addListener(ChannelFutureListener.CLOSE);
    }
  }

  // ---- called by ForwardExchange, on this connection's event loop ----

  EventLoop eventLoop() {
    return ctx().channel().eventLoop();
  }

  boolean isDraining() {
    return draining;
  }

  /** Whether this handler serves one stream of an HTTP/2 connection. */
  boolean isHttp2() {
    return ctx().channel() instanceof Http2StreamChannel;
  }

  ChannelFuture write(Object msg) {
    return write(msg, true);
  }

  /** As {@link #write(Object)}; without {@code flush}, a later write's flush sends it. */
  ChannelFuture write(Object msg, boolean flush) {
    CorsResponse cors = corsResponse;
    if (cors != null && msg instanceof HttpResponse r && r.status().code() >= 200) {
      corsResponse = null;
      cors.policy().responseHeaders(cors.origin(), r.headers());
    }
    AccessLog.Entry e = entry;
    boolean last = e != null && e.onWrite(msg);
    ChannelFuture f = flush ? ctx().writeAndFlush(msg) : ctx().write(msg);
    lastWrite = f;
    if (last) {
      entry = null;
      if (e.active()) {
        f.addListener(done -> e.finish()); // logged once the last byte left (or failed to)
      }
    }
    return f;
  }

  /** Sends what was written without a flush. */
  void flush() {
    ctx().flush();
  }

  void readRequestBody() {
    read();
  }

  /**
   * Asks for the next message unless a read is already outstanding, so at most one message is ever
   * requested: a body part must not arrive before the exchange can write it upstream.
   */
  private void read() {
    if (!readPending) {
      readPending = true;
      ctx().read();
    }
  }

  void exchangeFinished() {
    exchange = null;
    if (requestReceived) {
      nextRequest();
    } else {
      state = State.DISCARDING;
      read();
    }
  }

  void exchangeFailed(int status, String body) {
    exchange = null;
    respond(status, body);
  }

  /** The backend accepted a WebSocket handshake: this connection becomes a tunnel to it. */
  void exchangeUpgraded(Channel upstream) {
    exchange = null;
    AccessLog.Entry e = entry;
    entry = null;
    if (e != null) {
      e.finish(); // the 101 was the response
    }
    state = State.CLOSING;
    WebSocketTunnel.open(ctx().channel(), upstream);
  }

  /**
   * The response broke off after it started: the client connection is closed, or on HTTP/2 the
   * stream reset; a gRPC call's with INTERNAL_ERROR, so the client sees {@code INTERNAL} rather
   * than {@code CANCELLED} (which would read as its own cancel).
   */
  void exchangeAborted() {
    exchange = null;
    abortEntry("upstream response aborted");
    if (grpc) {
      ctx().writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.INTERNAL_ERROR));
    }
    ctx().close();
  }

  // ---- connection events ----

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt == DrainEvent.INSTANCE) {
      draining = true;
      if (state == State.IDLE) {
        closeAfterWrites();
      }
    } else if (evt instanceof IdleStateEvent) {
      if (state == State.IDLE) {
        closeAfterWrites(); // keep-alive timeout; an exchange in progress is not cut
      }
    } else if (evt == StreamIdleHandler.StreamIdleEvent.INSTANCE) {
      if (state != State.IDLE) {
        log.debug("Downstream {}: stream idle timeout", ctx.channel().remoteAddress());
        ctx.close(); // cancels the exchange (channelInactive); on HTTP/2 resets the stream
      }
    } else {
      ctx.fireUserEventTriggered(evt);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    cancelMirrors();
    abortEntry("connection closed before the response completed");
    ForwardExchange ex = exchange;
    exchange = null;
    if (ex != null) {
      ex.cancel();
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("Downstream {} failed", ctx.channel().remoteAddress(), cause);
    ctx.close();
  }

  /** The TCP peer's address as text; formatted once per connection (or stream). */
  private String peerAddress() {
    String p = peer;
    if (p == null) {
      SocketAddress a = ctx().channel().remoteAddress();
      p = a instanceof InetSocketAddress i && i.getAddress() != null
          ? i.getAddress().getHostAddress()
          : String.valueOf(a);
      peer = p;
    }
    return p;
  }

  /** Logs the current request, if any, as ended without (the rest of) its response. */
  private void abortEntry(String why) {
    AccessLog.Entry e = entry;
    entry = null;
    if (e != null) {
      e.abort(why);
    }
  }

  private AccessLog.Entry entry() {
    AccessLog.Entry e = entry;
    if (e == null) {
      throw new IllegalStateException("no access log entry for the current request");
    }
    return e;
  }

  private ChannelHandlerContext ctx() {
    ChannelHandlerContext c = ctx;
    if (c == null) {
      throw new IllegalStateException("handler not added");
    }
    return c;
  }

  private ForwardExchange exchange() {
    ForwardExchange e = exchange;
    if (e == null) {
      throw new IllegalStateException("no exchange in FORWARDING");
    }
    return e;
  }
}
