package io.gatehouse.proxy.http;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import java.util.Map;
import java.util.List;

/**
 * Checks a client stream's request header block against RFC 9113 §8 before anything routes it.
 * First handler of a downstream HTTP/2 stream channel ({@code Http2RequestValidator →
 * Http2StreamFrameToHttpObjectCodec → Http2RequestAdapter → ReadDemandHandler →
 * DownstreamHandler}).
 *
 * <p>
 * Netty's HPACK decoder already rejects uppercase or invalid names and values, unknown, duplicated
 * or misplaced pseudo-headers and, with the codec's {@code validateRequiredPseudoHeaders}, missing
 * ones. On top of that, a request is malformed (stream error PROTOCOL_ERROR, the stream reset,
 * nothing forwarded) when it carries a connection-specific header ({@code connection},
 * {@code keep-alive}, {@code proxy-connection}, {@code transfer-encoding}, {@code upgrade};
 * §8.2.2), {@code te} other than {@code trailers}, lacks {@code :method}, {@code :scheme} or a
 * {@code :path} in origin form ({@code *} for OPTIONS; §8.3.1), has a {@code host} that differs
 * from {@code :authority} (§8.3.1), or has pseudo-headers in its trailers (§8.1). {@code CONNECT}
 * is well-formed but not proxied: it gets 405.
 *
 * <p>
 * Ownership: frames it passes on belong to the next handler; frames of a rejected stream are
 * released here.
 */
final class Http2RequestValidator extends ChannelInboundHandlerAdapter {
  private static final List<AsciiString> CONNECTION_SPECIFIC = List.of(
      AsciiString.cached("connection"), AsciiString.cached("keep-alive"),
      AsciiString.cached("proxy-connection"), AsciiString.cached("transfer-encoding"),
      AsciiString.cached("upgrade"));
  private static final AsciiString TE = AsciiString.cached("te");
  private static final AsciiString HOST = AsciiString.cached("host");

  private boolean headSeen;
  private boolean rejected;

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (rejected) {
      ReferenceCountUtil.release(msg);
    } else if (msg instanceof Http2HeadersFrame h && !check(ctx, h)) {
      rejected = true;
      ReferenceCountUtil.release(msg);
    } else {
      ctx.fireChannelRead(msg);
    }
  }

  /**
   * A stream error Netty's decoder found (e.g. a missing pseudo-header, a body longer or shorter
   * than {@code content-length}) reaches the stream channel as an exception, and Netty then closes
   * the stream with CANCEL; reset it with the error's own code first.
   */
  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof Http2Exception e) {
      rejected = true;
      ctx.writeAndFlush(new DefaultHttp2ResetFrame(e.error()))
          .addListener(ChannelFutureListener.CLOSE);
    } else {
      ctx.fireExceptionCaught(cause);
    }
  }

  /** Whether the header block may go on; otherwise the stream has been answered or reset. */
  private boolean check(ChannelHandlerContext ctx, Http2HeadersFrame frame) {
    Http2Headers h = frame.headers();
    if (headSeen) { // trailers
      return !hasPseudoHeader(h) || reset(ctx);
    }
    headSeen = true;
    if (!regularHeadersValid(h) || h.method() == null) {
      return reset(ctx);
    }
    if (AsciiString.contentEquals(h.method(), "CONNECT")) {
      ctx.writeAndFlush(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().status("405"), true))
          .addListener(ChannelFutureListener.CLOSE);
      return false;
    }
    CharSequence path = h.path();
    boolean pathValid = path != null && (path.length() > 0 && path.charAt(0) == '/'
        || AsciiString.contentEquals(path, "*")
            && AsciiString.contentEquals(h.method(), "OPTIONS"));
    return h.scheme() != null && pathValid || reset(ctx);
  }

  private static boolean regularHeadersValid(Http2Headers h) {
    CharSequence authority = h.authority();
    for (Map.Entry<CharSequence, CharSequence> e : h) {
      CharSequence name = e.getKey();
      if (isConnectionSpecific(name)
          || TE.contentEquals(name)
              && !AsciiString.contentEqualsIgnoreCase(e.getValue(), "trailers")
          || HOST.contentEquals(name) && authority != null
              && !AsciiString.contentEqualsIgnoreCase(e.getValue(), authority)) {
        return false;
      }
    }
    return true;
  }

  private static boolean isConnectionSpecific(CharSequence name) {
    for (AsciiString c : CONNECTION_SPECIFIC) {
      if (c.contentEquals(name)) {
        return true;
      }
    }
    return false;
  }

  private static boolean hasPseudoHeader(Http2Headers h) {
    for (Map.Entry<CharSequence, CharSequence> e : h) {
      if (Http2Headers.PseudoHeaderName.hasPseudoHeaderFormat(e.getKey())) {
        return true;
      }
    }
    return false;
  }

  /** Stream error PROTOCOL_ERROR (RFC 9113 §8.1.1); always false. */
  private static boolean reset(ChannelHandlerContext ctx) {
    ctx.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.PROTOCOL_ERROR))
        .addListener(ChannelFutureListener.CLOSE);
    return false;
  }
}
