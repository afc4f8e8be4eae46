package io.gatehouse.testing;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.codec.http.HttpServerUpgradeHandler.UpgradeCodec;
import io.netty.handler.codec.http2.CleartextHttp2ServerUpgradeHandler;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2ServerUpgradeCodec;
import io.netty.util.AsciiString;
import io.netty.handler.ssl.SslContext;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Assembles an echo connection's pipeline; the only place that knows handler order. A connection
 * starts as:
 *
 * <pre>
 * CleartextHttp2ServerUpgradeHandler   (sniffs the HTTP/2 preface, then becomes:)
 *   HttpServerCodec                    bytes ↔ HTTP/1 messages
 *   HttpServerUpgradeHandler           aggregates and answers "Upgrade: h2c" (≤ 64 KiB body)
 * HttpServerKeepAliveHandler           "http1-keep-alive"
 * HttpServerExpectContinueHandler      "http1-expect-continue": 100 Continue, as Go sends
 * Http1EchoHandler                     "http1-echo"
 * </pre>
 *
 * A WebSocket handshake on {@code /ws} puts Netty's frame codec in place of {@code HttpServerCodec}
 * and {@link WebSocketEchoHandler} ("ws-echo") in place of the echo handler. On a prior-knowledge
 * preface or a successful h2c upgrade, {@link Http2ConnectionInitializer} replaces the HTTP/1
 * handlers with {@code Http2FrameCodec} and {@code Http2MultiplexHandler}, whose stream channels
 * each run an {@link Http2EchoStreamHandler}. Sharable: holds no connection state.
 */
final class EchoServerInitializer extends ChannelInitializer<Channel> {

  static final List<String> HTTP1_HANDLERS = List.of("http1-keep-alive", "http1-expect-continue",
      "http1-echo");
  static final int MAX_UPGRADE_BODY = 64 * 1024;

  private final EchoResponder responder;
  private final ChannelGroup connections;
  private final @Nullable SslContext tls;

  EchoServerInitializer(EchoResponder responder, ChannelGroup connections) {
    this(responder, connections, null);
  }

  /** With {@code tls}, connections start with {@link EchoTlsHandler} (HTTPS, port 8443). */
  EchoServerInitializer(EchoResponder responder, ChannelGroup connections,
      @Nullable SslContext tls) {
    this.responder = responder;
    this.connections = connections;
    this.tls = tls;
  }

  @Override
  protected void initChannel(Channel channel) {
    connections.add(channel); // so EchoServer.close() also closes open connections
    HttpServerCodec http1 = new HttpServerCodec();
    HttpServerUpgradeHandler upgrade = new HttpServerUpgradeHandler(http1, this::upgradeCodec,
        MAX_UPGRADE_BODY);
    if (tls != null) {
      channel.pipeline().addLast(new EchoTlsHandler(tls));
    }
    channel.pipeline()
        .addLast(new CleartextHttp2ServerUpgradeHandler(http1, upgrade,
            Http2ConnectionInitializer.priorKnowledge(responder)))
        .addLast(HTTP1_HANDLERS.get(0), new HttpServerKeepAliveHandler())
        .addLast(HTTP1_HANDLERS.get(1), new HttpServerExpectContinueHandler())
        .addLast(HTTP1_HANDLERS.get(2), new Http1EchoHandler(responder));
  }

  /** The codec for an {@code Upgrade} protocol, or null to stay on HTTP/1 (e.g. websocket). */
  private UpgradeCodec upgradeCodec(CharSequence protocol) {
    if (!AsciiString.contentEquals(Http2CodecUtil.HTTP_UPGRADE_PROTOCOL_NAME, protocol)) {
      return null;
    }
    return new Http2ServerUpgradeCodec(Http2ConnectionInitializer.frameCodec(),
        Http2ConnectionInitializer.multiplexer(responder),
        Http2ConnectionInitializer.afterUpgrade());
  }
}
