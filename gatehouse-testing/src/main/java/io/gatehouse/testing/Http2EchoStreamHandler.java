package io.gatehouse.testing;

import static java.util.concurrent.TimeUnit.NANOSECONDS;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers one HTTP/2 stream with the {@link EchoResponder}'s reply.
 *
 * <p>
 * Pipeline: the only handler of each {@code Http2StreamChannel} that {@code Http2MultiplexHandler}
 * creates (see {@link Http2ConnectionInitializer}). Consumes {@link Http2HeadersFrame}s (request
 * headers, optional trailers) and {@link Http2DataFrame}s, which it releases at once: the body is
 * discarded, and the stream channel returns the flow-control window as frames are read. Other
 * frames are released too. After the end of the request stream it emits a headers frame and, when
 * the body is not empty, one data frame; the frame codec releases them. An abort resets the stream
 * ({@code RST_STREAM INTERNAL_ERROR}), leaving the connection's other streams alone.
 *
 * <p>
 * Confined to the stream channel's event loop; delays are scheduled, never slept.
 */
final class Http2EchoStreamHandler extends ChannelInboundHandlerAdapter {

  private static final Logger log = LoggerFactory.getLogger(Http2EchoStreamHandler.class);

  private final EchoResponder responder;
  private EchoRequest request;
  private boolean dispatched;

  Http2EchoStreamHandler(EchoResponder responder) {
    this.responder = responder;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (msg instanceof Http2HeadersFrame headers && request == null) {
        request = toEchoRequest(headers.headers(), ctx);
      }
      boolean endStream = msg instanceof Http2HeadersFrame h && h.isEndStream()
          || msg instanceof Http2DataFrame d && d.isEndStream();
      if (endStream && request != null && !dispatched) {
        dispatched = true;
        reply(ctx, responder.reply(request), request.method().equals("HEAD"));
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("Closing HTTP/2 echo stream {}", ctx.channel(), cause);
    ctx.close();
  }

  private static void reply(ChannelHandlerContext ctx, EchoReply reply, boolean head) {
    if (reply.delay().isPositive()) {
      ctx.executor().schedule(() -> send(ctx, reply, head), reply.delay().toNanos(), NANOSECONDS);
    } else {
      send(ctx, reply, head);
    }
  }

  private static void send(ChannelHandlerContext ctx, EchoReply reply, boolean head) {
    if (!ctx.channel().isActive()) {
      return;
    }
    switch (reply) {
      case EchoReply.Respond respond -> {
        // A HEAD response carries the GET response's headers but no DATA (RFC 9110 §9.3.2).
        boolean noBody = head || respond.body().length == 0;
        ctx.write(new DefaultHttp2HeadersFrame(toHeaders(respond), noBody));
        if (!noBody) {
          ctx.write(new DefaultHttp2DataFrame(Unpooled.wrappedBuffer(respond.body()), true));
        }
        ctx.flush();
      }
      case EchoReply.Abort abort ->
        ctx.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.INTERNAL_ERROR));
    }
  }

  private static Http2Headers toHeaders(EchoReply.Respond respond) {
    Http2Headers headers = new DefaultHttp2Headers().status(Integer.toString(respond.status()));
    for (Map.Entry<String, String> header : respond.headers()) {
      headers.add(header.getKey().toLowerCase(Locale.ROOT), header.getValue()); // RFC 9113 §8.2.1
    }
    headers.set("date", DateFormatter.format(new Date()));
    headers.setInt("content-length", respond.body().length);
    return headers;
  }

  private static EchoRequest toEchoRequest(Http2Headers h2, ChannelHandlerContext ctx) {
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    List<String> cookies = new ArrayList<>();
    for (Map.Entry<CharSequence, CharSequence> field : h2) {
      String name = field.getKey().toString();
      if (name.equals("cookie")) {
        cookies.add(field.getValue().toString());
      } else if (!name.startsWith(":") && !name.equals("host")) {
        headers.add(Map.entry(name, field.getValue().toString()));
      }
    }
    if (!cookies.isEmpty()) {
      headers.add(Map.entry("cookie", String.join("; ", cookies))); // as Go joins cookie crumbs
    }
    CharSequence host = h2.authority() != null ? h2.authority() : h2.get("host");
    return new EchoRequest(String.valueOf(h2.method()), String.valueOf(h2.path()),
        host == null ? "" : host.toString(),
        "HTTP/2.0", headers, EchoRequest.goAddress(connection(ctx.channel()).remoteAddress()),
        connection(ctx.channel()).attr(EchoTlsInfo.KEY).get());
  }

  /** The TCP connection a stream belongs to (the stream itself when tested alone). */
  private static Channel connection(Channel stream) {
    return stream.parent() != null ? stream.parent() : stream;
  }
}
