package io.gatehouse.testing;

import static java.util.concurrent.TimeUnit.NANOSECONDS;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.DecoderResultProvider;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.websocketx.WebSocketHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers HTTP/1.x requests with the {@link EchoResponder}'s replies, in request order; a WebSocket
 * handshake on {@code /ws} hands the connection to {@link WebSocketEchoHandler}.
 *
 * <p>
 * Pipeline: the last handler of a connection, after {@code HttpServerCodec}, the h2c
 * {@code HttpServerUpgradeHandler}, {@code HttpServerKeepAliveHandler} (which adds
 * {@code Connection: close} and closes when the client asked for it) and
 * {@code HttpServerExpectContinueHandler}; removed by {@link Http2ConnectionInitializer} when the
 * connection turns into HTTP/2. Consumes {@link HttpRequest} and {@code HttpContent} and releases
 * every message it reads: bodies are discarded as they arrive, so memory stays bounded whatever
 * their size. Emits one {@link FullHttpResponse} with {@code Content-Length} per request; the codec
 * releases it.
 *
 * <p>
 * Confined to the channel's event loop. Delays are scheduled on it, never slept; while a reply
 * waits, later pipelined requests queue (at most {@value #MAX_QUEUED}, then the connection closes)
 * so responses keep request order.
 */
final class Http1EchoHandler extends ChannelInboundHandlerAdapter {

  static final int MAX_QUEUED = 16;
  static final String WEBSOCKET_PATH = "/ws";
  private static final Logger log = LoggerFactory.getLogger(Http1EchoHandler.class);

  private final EchoResponder responder;
  private final ArrayDeque<EchoRequest> queued = new ArrayDeque<>();
  private EchoRequest receiving;
  private boolean replying;

  Http1EchoHandler(EchoResponder responder) {
    this.responder = responder;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (msg instanceof DecoderResultProvider decoded && decoded.decoderResult().isFailure()) {
        receiving = null;
        FullHttpResponse bad = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
            HttpResponseStatus.BAD_REQUEST);
        bad.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE)
            .setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
        ctx.writeAndFlush(bad).addListener(ChannelFutureListener.CLOSE);
        return;
      }
      if (msg instanceof HttpRequest request && isWebSocketPath(request.uri())) {
        receiving = null;
        openWebSocket(ctx, request);
        return;
      }
      if (msg instanceof HttpRequest request) {
        receiving = toEchoRequest(request, ctx.channel());
      }
      if (msg instanceof LastHttpContent && receiving != null) {
        queued.addLast(receiving);
        receiving = null;
        if (queued.size() > MAX_QUEUED) {
          ctx.close();
          return;
        }
        replyNext(ctx);
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("Closing HTTP/1 echo connection {}", ctx.channel(), cause);
    ctx.close();
  }

  static boolean isWebSocketPath(String uri) {
    int q = uri.indexOf('?');
    return (q < 0 ? uri : uri.substring(0, q)).equals(WEBSOCKET_PATH);
  }

  /**
   * {@code /ws}: an RFC 6455 handshake switches this connection to {@link WebSocketEchoHandler};
   * anything else gets 400 and a close, as echo-basic's WebSocket handler answers.
   */
  private void openWebSocket(ChannelHandlerContext ctx, HttpRequest request) {
    HttpHeaders headers = request.headers();
    WebSocketServerHandshaker handshaker = !headers.containsValue(HttpHeaderNames.UPGRADE,
        HttpHeaderValues.WEBSOCKET, true)
        || !headers.contains(HttpHeaderNames.SEC_WEBSOCKET_VERSION)
            ? null
            : new WebSocketServerHandshakerFactory(
                "ws://" + headers.get(HttpHeaderNames.HOST, "localhost") + WEBSOCKET_PATH, null,
                false).newHandshaker(request);
    if (handshaker == null && headers.contains(HttpHeaderNames.SEC_WEBSOCKET_VERSION)) {
      WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel())
          .addListener(ChannelFutureListener.CLOSE);
      return;
    }
    try {
      if (handshaker == null) {
        throw new WebSocketHandshakeException("not a WebSocket handshake");
      }
      handshaker.handshake(ctx.channel(), request).addListener(
          ChannelFutureListener.CLOSE_ON_FAILURE);
      ctx.pipeline().replace(this, "ws-echo", new WebSocketEchoHandler(handshaker));
    } catch (WebSocketHandshakeException e) {
      FullHttpResponse bad = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
          HttpResponseStatus.BAD_REQUEST);
      bad.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE)
          .setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
      ctx.writeAndFlush(bad).addListener(ChannelFutureListener.CLOSE);
    }
  }

  private void replyNext(ChannelHandlerContext ctx) {
    if (replying || queued.isEmpty()) {
      return;
    }
    replying = true;
    EchoReply reply = responder.reply(queued.removeFirst());
    if (reply.delay().isPositive()) {
      ctx.executor().schedule(() -> send(ctx, reply), reply.delay().toNanos(), NANOSECONDS);
    } else {
      send(ctx, reply);
    }
  }

  private void send(ChannelHandlerContext ctx, EchoReply reply) {
    if (!ctx.channel().isActive()) {
      return;
    }
    switch (reply) {
      case EchoReply.Respond respond ->
        ctx.writeAndFlush(toResponse(respond)).addListener(written -> {
          replying = false;
          if (written.isSuccess()) {
            replyNext(ctx);
          } else {
            ctx.close();
          }
        });
      case EchoReply.Abort abort -> reset(ctx.channel());
    }
  }

  /** Closes with a TCP RST instead of a FIN, as echo-basic's retry simulator does. */
  static void reset(Channel channel) {
    channel.config().setOption(ChannelOption.SO_LINGER, 0);
    channel.close();
  }

  private static EchoRequest toEchoRequest(HttpRequest request, Channel channel) {
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    for (Map.Entry<String, String> header : request.headers()) {
      // Go's server moves Host to r.Host and Transfer-Encoding to r.TransferEncoding.
      if (!header.getKey().equalsIgnoreCase("Host")
          && !header.getKey().equalsIgnoreCase("Transfer-Encoding")) {
        headers.add(header);
      }
    }
    return new EchoRequest(request.method().name(), request.uri(),
        request.headers().get(HttpHeaderNames.HOST, ""),
        request.protocolVersion().text(), headers, EchoRequest.goAddress(channel.remoteAddress()),
        channel.attr(EchoTlsInfo.KEY).get());
  }

  private static FullHttpResponse toResponse(EchoReply.Respond respond) {
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
        HttpResponseStatus.valueOf(respond.status()), Unpooled.wrappedBuffer(respond.body()));
    for (Map.Entry<String, String> header : respond.headers()) {
      response.headers().add(header.getKey(), header.getValue());
    }
    response.headers().set(HttpHeaderNames.DATE, DateFormatter.format(new Date()));
    response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, respond.body().length);
    return response;
  }
}
