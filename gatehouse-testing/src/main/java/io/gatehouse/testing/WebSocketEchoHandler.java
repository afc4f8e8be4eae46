package io.gatehouse.testing;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code /ws} endpoint of echo-basic (HARNESS.md §3.1) once the handshake is done: every text,
 * binary and continuation frame is written back as it came, a ping is answered with a pong carrying
 * its payload, and a close frame is answered with a close frame, then the connection closes.
 *
 * <p>
 * Pipeline: replaces {@link Http1EchoHandler} after a successful handshake, behind the frame
 * decoder and encoder that Netty's {@link WebSocketServerHandshaker} installed. Ownership: frames
 * are released after this handler returns ({@link SimpleChannelInboundHandler}); an echoed frame is
 * retained once more for its write, which the encoder releases.
 */
final class WebSocketEchoHandler extends SimpleChannelInboundHandler<WebSocketFrame> {
  private static final Logger log = LoggerFactory.getLogger(WebSocketEchoHandler.class);

  private final WebSocketServerHandshaker handshaker;

  WebSocketEchoHandler(WebSocketServerHandshaker handshaker) {
    this.handshaker = handshaker;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
    switch (frame) {
      case TextWebSocketFrame text -> ctx.writeAndFlush(text.retain());
      case BinaryWebSocketFrame binary -> ctx.writeAndFlush(binary.retain());
      case ContinuationWebSocketFrame more -> ctx.writeAndFlush(more.retain());
      case PingWebSocketFrame ping -> ctx.writeAndFlush(new PongWebSocketFrame(ping.content()
          .retain()));
      case CloseWebSocketFrame close -> handshaker.close(ctx, close.retain());
      default -> {
        // a pong: nothing to answer
      }
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("Closing WebSocket echo connection {}", ctx.channel(), cause);
    ctx.close();
  }
}
