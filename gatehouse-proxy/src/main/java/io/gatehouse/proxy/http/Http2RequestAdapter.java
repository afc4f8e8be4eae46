package io.gatehouse.proxy.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http2.HttpConversionUtil.ExtensionHeaderNames;
import java.util.List;

/**
 * Makes a request decoded from an HTTP/2 stream look like one from the HTTP/1.1 codec, so that
 * {@link DownstreamHandler} and {@link ForwardExchange} serve both alike. Sits between
 * {@code Http2StreamFrameToHttpObjectCodec} and {@code ReadDemandHandler} on a downstream stream
 * channel.
 *
 * <ul>
 * <li>A HEADERS frame that ends the stream arrives as a {@link FullHttpRequest}: it is passed on
 * whole, as {@link Http1RequestValidator} passes on a bodiless HTTP/1.1 request (with an unpooled
 * empty body, so it can be written upstream again by a retry). A full request that does carry
 * content or trailers is passed on as its head and a last part.
 * <li>The {@code x-http2-*} headers the conversion adds (stream id, scheme) are removed: they are
 * not the client's and must not reach the upstream.
 * <li>{@code :authority} became {@code Host}; a {@code host} header the client sent as well (equal,
 * see {@link Http2RequestValidator}) would make it appear twice, so one is kept.
 * <li>A request with a body and no {@code content-length} is marked chunked, so that an HTTP/1.1
 * upstream gets it framed; with {@code content-length}, Netty's HTTP/2 decoder resets the stream
 * when the DATA frames do not add up to it (RFC 9113 §8.1.1).
 * </ul>
 * Ownership: the content of a full request moves to the last part passed on; nothing is retained.
 */
final class Http2RequestAdapter extends ChannelInboundHandlerAdapter {
  /** The conversion's header names ({@code values()} copies its array on each call). */
  private static final ExtensionHeaderNames[] EXTENSION_HEADERS = ExtensionHeaderNames.values();

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof FullHttpRequest full && !full.content().isReadable()
        && full.trailingHeaders().isEmpty()) {
      normalise(full.headers());
      HttpRequest whole = new DefaultFullHttpRequest(full.protocolVersion(), full.method(),
          full.uri(), Unpooled.EMPTY_BUFFER, full.headers(), full.trailingHeaders());
      full.release();
      ctx.fireChannelRead(whole);
    } else if (msg instanceof FullHttpRequest full) {
      HttpRequest head = new DefaultHttpRequest(full.protocolVersion(), full.method(), full.uri(),
          full.headers());
      normalise(head.headers());
      ctx.fireChannelRead(head);
      ctx.fireChannelRead(new DefaultLastHttpContent(full.content(), full.trailingHeaders()));
    } else if (msg instanceof HttpRequest head) {
      normalise(head.headers());
      if (!HttpUtil.isContentLengthSet(head)) {
        HttpUtil.setTransferEncodingChunked(head, true);
      }
      ctx.fireChannelRead(head);
    } else {
      ctx.fireChannelRead(msg);
    }
  }

  private static void normalise(HttpHeaders headers) {
    for (ExtensionHeaderNames n : EXTENSION_HEADERS) {
      headers.remove(n.text());
    }
    List<String> hosts = headers.getAll(HttpHeaderNames.HOST);
    if (hosts.size() > 1) {
      headers.set(HttpHeaderNames.HOST, hosts.get(0));
    }
  }
}
