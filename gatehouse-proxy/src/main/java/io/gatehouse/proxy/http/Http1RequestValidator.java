package io.gatehouse.proxy.http;

import io.gatehouse.model.Http1Policy;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Checks each decoded request head for the Host rules of RFC 9112 §3.2, writes the one accepted
 * transfer coding in its canonical spelling ({@code chunked}), and resolves an absolute-form
 * target: the authority wins over {@code Host}, which is rewritten to it, and the target becomes
 * origin-form ({@code /path?query}), so routing and the upstream see one host and one path. Turns
 * the {@link Http1Violation}s of {@link Http1FramingScanner} into failed request parts: a failed
 * head when no request is in progress, a failed last part when one is.
 *
 * <p>
 * Sits right after {@code HttpServerCodec}, in front of {@code ReadDemandHandler}; emits one
 * message per message it receives, except that an accepted head without a body (neither
 * Transfer-Encoding nor a non-zero Content-Length) and the empty last part the codec decodes right
 * behind it, from the same bytes, leave as one {@code FullHttpRequest}: the common bodiless request
 * then crosses the handlers behind this one, and the upstream connection, as one message. It never
 * reads on its own. A refused head is passed on with a failed {@code DecoderResult} whose cause is
 * the violation ({@link DownstreamHandler} answers its status and closes). After the first failure
 * everything is released here: the connection is closing. Ownership: messages are forwarded, or
 * released when dropped.
 */
final class Http1RequestValidator extends ChannelInboundHandlerAdapter {
  private final Http1Policy policy;
  /** A head was passed on and its last part was not. */
  private boolean inRequest;
  private boolean failed;
  /** An accepted head without a body, waiting for its empty last part (the next message). */
  private @Nullable HttpRequest bodiless;

  Http1RequestValidator(Http1Policy policy) {
    this.policy = policy;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (failed) {
      ReferenceCountUtil.release(msg);
    } else if (msg instanceof Http1Violation v) {
      releaseHeld(ctx);
      failed = true;
      ctx.fireChannelRead(inRequest ? failedLast(v) : failedHead(v));
    } else if (msg instanceof HttpObject o) {
      onMessage(ctx, o);
    } else {
      releaseHeld(ctx);
      ctx.fireChannelRead(msg);
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    releaseHeld(ctx); // never expected: the codec emits a bodiless head and its end together
    ctx.fireChannelReadComplete();
  }

  /** Passes on a held bodiless head as it came (its last part then follows on its own). */
  private void releaseHeld(ChannelHandlerContext ctx) {
    HttpRequest held = bodiless;
    if (held != null) {
      bodiless = null;
      ctx.fireChannelRead(held);
    }
  }

  private void onMessage(ChannelHandlerContext ctx, HttpObject o) {
    HttpRequest held = bodiless;
    if (held != null) {
      bodiless = null;
      if (o instanceof LastHttpContent last && !(o instanceof HttpRequest)
          && last.decoderResult().isSuccess() && !last.content().isReadable()
          && last.trailingHeaders().isEmpty()) {
        last.release();
        inRequest = false;
        ctx.fireChannelRead(new DefaultFullHttpRequest(held.protocolVersion(), held.method(),
            held.uri(), Unpooled.EMPTY_BUFFER, held.headers(), last.trailingHeaders()));
        return;
      }
      ctx.fireChannelRead(held); // not what the codec emits behind such a head: both as they came
    }
    if (o instanceof HttpRequest req && o.decoderResult().isSuccess()) {
      Http1Violation v = check(req);
      if (v != null) {
        req.setDecoderResult(DecoderResult.failure(v));
      } else if (!(o instanceof HttpContent) && isBodiless(req)) {
        inRequest = true;
        bodiless = req;
        return;
      }
    }
    if (o instanceof HttpRequest) {
      inRequest = true;
    }
    if (o instanceof LastHttpContent) {
      inRequest = false;
    }
    failed |= o.decoderResult().isFailure();
    ctx.fireChannelRead(o);
  }

  /** No Transfer-Encoding and no Content-Length other than 0: the request has no body. */
  private static boolean isBodiless(HttpRequest req) {
    return !req.headers().contains(HttpHeaderNames.TRANSFER_ENCODING)
        && HttpUtil.getContentLength(req, 0L) == 0;
  }

  /** The Host rules and the absolute-form rewrite; null when the head is acceptable. */
  @Nullable
  Http1Violation check(HttpRequest req) {
    if (req.headers().contains(HttpHeaderNames.TRANSFER_ENCODING)) {
      // The scanner let only a single "chunked" through: forward its canonical spelling.
      req.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
    }
    List<String> hosts = req.headers().getAll(HttpHeaderNames.HOST);
    if (hosts.size() > 1) {
      return bad("more than one Host field");
    }
    if (hosts.isEmpty() && req.protocolVersion().equals(HttpVersion.HTTP_1_1)) {
      return bad("Host field missing");
    }
    if (!hosts.isEmpty() && !isHostValue(hosts.get(0))) {
      return bad("invalid Host field");
    }
    String uri = req.uri();
    if (uri.startsWith("/") || uri.equals("*") && req.method().equals(HttpMethod.OPTIONS)) {
      return null;
    }
    if (!policy.absoluteForm()) {
      return bad("absolute-form request-target not accepted");
    }
    return absoluteForm(req, uri);
  }

  /** RFC 9112 §3.2.2: the target's authority replaces Host; the target becomes origin-form. */
  private static @Nullable Http1Violation absoluteForm(HttpRequest req, String uri) {
    String lower = uri.toLowerCase(Locale.ROOT);
    int scheme = lower.startsWith("http://") ? 7 : lower.startsWith("https://") ? 8 : -1;
    if (scheme < 0) {
      return bad("request-target is neither origin-form nor an http(s) absolute-form");
    }
    int end = scheme;
    while (end < uri.length() && "/?".indexOf(uri.charAt(end)) < 0) {
      end++;
    }
    String authority = uri.substring(scheme, end);
    if (authority.isEmpty() || !isHostValue(authority)) {
      return bad("invalid authority in the request-target");
    }
    String rest = uri.substring(end);
    req.setUri(rest.isEmpty() || rest.startsWith("?") ? "/" + rest : rest);
    req.headers().set(HttpHeaderNames.HOST, authority);
    return null;
  }

  /**
   * {@code uri-host [ ":" port ]} (RFC 3986 §3.2.2): a reg-name, an IPv4 address or an IP-literal
   * in brackets; no userinfo, no whitespace, no controls. Empty is allowed (RFC 9112 §3.2).
   */
  static boolean isHostValue(String v) {
    int portAt = v.length();
    if (v.startsWith("[")) {
      int close = v.indexOf(']');
      if (close < 0 || !v.substring(1, close).matches("[0-9A-Fa-f:.]+|v[0-9A-Fa-f]+\\..+")) {
        return false;
      }
      portAt = close + 1;
      if (portAt < v.length() && v.charAt(portAt) != ':') {
        return false;
      }
    } else {
      int colon = v.indexOf(':');
      portAt = colon < 0 ? v.length() : colon;
      for (int i = 0; i < portAt; i++) {
        char c = v.charAt(i);
        boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
            || "-._~%!$&'()*+,;=".indexOf(c) >= 0;
        if (!ok) {
          return false;
        }
      }
    }
    return portAt >= v.length()
        || Http1FramingScanner.isDigits(v.substring(portAt + 1), 0, 5);
  }

  private static HttpRequest failedHead(Http1Violation v) {
    HttpRequest req = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/bad-request");
    req.setDecoderResult(DecoderResult.failure(v));
    return req;
  }

  private static HttpContent failedLast(Http1Violation v) {
    LastHttpContent last = new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER);
    last.setDecoderResult(DecoderResult.failure(v));
    return last;
  }

  private static Http1Violation bad(String reason) {
    return new Http1Violation(400, reason);
  }
}
