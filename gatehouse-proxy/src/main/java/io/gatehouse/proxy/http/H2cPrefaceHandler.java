package io.gatehouse.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;

/**
 * Tells HTTP/2 with prior knowledge from HTTP/1.x on a cleartext connection by its first bytes: the
 * client connection preface {@code PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n} (RFC 9113 §3.4). Sits right
 * after the idle handler, in front of the HTTP/1.1 handlers, and removes itself at the first byte
 * that differs from the preface (the HTTP/1.1 path then runs unchanged) or, once all 24 bytes
 * match, after {@code toHttp2} has replaced the HTTP/1.1 handlers with the HTTP/2 ones.
 *
 * <p>
 * Works with auto-read off: while the bytes so far are a strict prefix of the preface it decodes
 * nothing, so {@link ByteToMessageDecoder} asks for more. Ownership: the bytes it holds are handed,
 * unread, to the next handler when it is removed (no copy when they came in one read).
 */
final class H2cPrefaceHandler extends ByteToMessageDecoder {
  private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
      .getBytes(StandardCharsets.US_ASCII);

  private final Consumer<ChannelHandlerContext> toHttp2;

  /** @param toHttp2 switches the pipeline to HTTP/2; called at most once, on the event loop */
  H2cPrefaceHandler(Consumer<ChannelHandlerContext> toHttp2) {
    this.toHttp2 = toHttp2;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    int n = Math.min(in.readableBytes(), PREFACE.length);
    for (int i = 0; i < n; i++) {
      if (in.getByte(in.readerIndex() + i) != PREFACE[i]) {
        ctx.pipeline().remove(this); // HTTP/1.x
        return;
      }
    }
    if (n == PREFACE.length) {
      toHttp2.accept(ctx);
      ctx.pipeline().remove(this); // the preface itself goes to the HTTP/2 codec, which checks it
    }
  }
}
