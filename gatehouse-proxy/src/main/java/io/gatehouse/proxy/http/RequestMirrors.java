package io.gatehouse.proxy.http;

import io.gatehouse.proxy.route.MirrorTarget;
import io.gatehouse.proxy.upstream.UpstreamCluster;
import io.gatehouse.proxy.upstream.UpstreamPool;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mirrored copies of one forwarded request (Gateway API RequestMirror filters). Created when
 * the request head is forwarded, with a copy of that head as forwarded (after the route's header
 * modifiers and URL rewrite); each mirror takes the request with its own probability. The body is
 * collected as the client sends it (at most {@link BodyReplay#LIMIT} bytes: a larger body is not
 * mirrored) and the copies leave, each through a {@link MirrorExchange}, once it is complete; a
 * request without a body is mirrored at once. A request that ends early (client gone, malformed
 * body) is not mirrored.
 *
 * <p>
 * Confined to the client connection's event loop. Ownership: {@link #onContent} does not take the
 * part it is given; the collected body is released when the copies are sent or cancelled.
 */
final class RequestMirrors {
  private static final Logger log = LoggerFactory.getLogger(RequestMirrors.class);

  private final List<UpstreamCluster> targets;
  private final HttpRequest head;
  private final UpstreamPool pool;
  private final EventLoop loop;
  private final ByteBufAllocator alloc;
  private final BodyReplay body = new BodyReplay();

  private RequestMirrors(List<UpstreamCluster> targets, HttpRequest head, UpstreamPool pool,
      EventLoop loop, ByteBufAllocator alloc) {
    this.targets = targets;
    this.head = head;
    this.pool = pool;
    this.loop = loop;
    this.alloc = alloc;
  }

  /**
   * Starts mirroring {@code forwarded}; returns the object to feed the body to, or null when no
   * mirror took the request or it has no body (then the copies are already on their way).
   */
  static @Nullable RequestMirrors start(List<MirrorTarget> mirrors, HttpRequest forwarded,
      UpstreamPool pool, EventLoop loop, ByteBufAllocator alloc) {
    List<UpstreamCluster> chosen = new ArrayList<>();
    for (MirrorTarget m : mirrors) {
      if (m.selects(ThreadLocalRandom.current().nextInt(m.denominator()))) {
        chosen.add(m.cluster());
      }
    }
    if (chosen.isEmpty()) {
      return null;
    }
    HttpRequest head = new DefaultHttpRequest(HttpVersion.HTTP_1_1, forwarded.method(),
        forwarded.uri(), forwarded.headers().copy());
    RequestMirrors r = new RequestMirrors(List.copyOf(chosen), head, pool, loop, alloc);
    if (!hasBody(forwarded)) {
      r.send();
      return null;
    }
    return r;
  }

  /**
   * A body part from the client. Returns true once this object is finished (sent or given up), so
   * the caller can drop it.
   */
  boolean onContent(HttpContent part) {
    body.add(part);
    if (!body.complete()) {
      log.debug("Request body over {} bytes: {} not mirrored", BodyReplay.LIMIT, head.uri());
      body.release();
      return true;
    }
    if (part instanceof LastHttpContent) {
      send();
      return true;
    }
    return false;
  }

  /** The request ended without a complete body: nothing is mirrored. */
  void cancel() {
    body.release();
  }

  private void send() {
    List<HttpContent> parts = new ArrayList<>();
    body.copyTo(parts);
    body.release();
    CompositeByteBuf content = alloc.compositeBuffer(Math.max(2, parts.size()));
    for (HttpContent p : parts) {
      content.addComponent(true, p.content());
    }
    FullHttpRequest copy = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, head.method(),
        head.uri(), content);
    HttpHeaders h = copy.headers().set(head.headers());
    // The copy carries its whole body at once: framed by length, without Expect or trailers.
    h.remove(HttpHeaderNames.EXPECT);
    if (hasBody(head)) {
      h.remove(HttpHeaderNames.TRANSFER_ENCODING);
      h.setInt(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
    }
    for (int i = 0; i < targets.size(); i++) {
      FullHttpRequest r = i == targets.size() - 1 ? copy : copy.retainedDuplicate();
      MirrorExchange.send(pool, loop, targets.get(i), r);
    }
  }

  private static boolean hasBody(HttpRequest r) {
    return HttpUtil.isTransferEncodingChunked(r) || HttpUtil.getContentLength(r, 0L) > 0;
  }
}
