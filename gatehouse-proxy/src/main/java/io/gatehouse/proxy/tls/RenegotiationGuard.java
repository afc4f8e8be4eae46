package io.gatehouse.proxy.tls;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;

/**
 * Refuses TLS renegotiation, whichever TLS provider runs: sits in front of the TLS handler, follows
 * the record boundaries of the client's bytes (TLS record header: type, version, 16-bit length) and
 * closes the connection at the first handshake record (type 22) that arrives after the handshake
 * completed. Under TLS 1.2 that record can only be a renegotiating ClientHello; under TLS 1.3 every
 * post-handshake message travels as application data, so such a record is a protocol violation
 * anyway. Nothing is buffered or copied: only the five header bytes of each record are read, and
 * the bytes pass on unchanged. Once a TLS 1.3 handshake completed the guard removes itself.
 *
 * <p>
 * Not sharable: one per connection, used on its event loop only.
 */
public final class RenegotiationGuard extends ChannelInboundHandlerAdapter {
  private static final int HANDSHAKE = 22;
  private static final int HEADER = 5;

  private final byte[] header = new byte[HEADER];
  /** Header bytes of the current record seen so far. */
  private int have;
  /** Body bytes of the current record still to skip. */
  private int skip;

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof ByteBuf buf && renegotiates(ctx, buf)) {
      ReferenceCountUtil.release(msg);
      ctx.close();
      return;
    }
    ctx.fireChannelRead(msg);
    if (tls13Done(ctx)) {
      ctx.pipeline().remove(this);
    }
  }

  /** Whether {@code buf} starts a handshake record after the handshake completed. */
  private boolean renegotiates(ChannelHandlerContext ctx, ByteBuf buf) {
    int i = buf.readerIndex();
    int end = buf.writerIndex();
    while (i < end) {
      if (skip > 0) {
        int n = Math.min(skip, end - i);
        skip -= n;
        i += n;
        continue;
      }
      header[have++] = buf.getByte(i++);
      if (have == HEADER) {
        have = 0;
        skip = (header[3] & 0xff) << 8 | header[4] & 0xff;
        if ((header[0] & 0xff) == HANDSHAKE && handshakeDone(ctx)) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean handshakeDone(ChannelHandlerContext ctx) {
    SslHandler ssl = ctx.pipeline().get(SslHandler.class);
    return ssl != null && ssl.handshakeFuture().isSuccess();
  }

  private boolean tls13Done(ChannelHandlerContext ctx) {
    if (!ctx.channel().isActive() || ctx.isRemoved()) {
      return false;
    }
    SslHandler ssl = ctx.pipeline().get(SslHandler.class);
    return ssl != null && ssl.handshakeFuture().isSuccess()
        && "TLSv1.3".equals(ssl.engine().getSession().getProtocol());
  }
}
