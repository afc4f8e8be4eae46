package io.gatehouse.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.DefaultHttp2FrameWriter;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameWriter;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.ByteArrayOutputStream;

/**
 * HTTP/2 frames serialised by Netty's own {@link Http2FrameWriter} (HPACK included), collected as
 * bytes for a {@link RawH2} socket. One instance per connection: the HPACK encoder's dynamic table
 * must stay in step with the server's decoder, so frames go out in the order they were made.
 */
final class H2FrameBytes implements AutoCloseable {
  private final EmbeddedChannel channel = new EmbeddedChannel(new ChannelInboundHandlerAdapter());
  private final ChannelHandlerContext ctx = channel.pipeline().firstContext();
  private final Http2FrameWriter writer = new DefaultHttp2FrameWriter();

  /** A GET request for {@code path} on {@code foo.test}. */
  static Http2Headers get(String path) {
    return new DefaultHttp2Headers().method("GET").scheme("http").path(path)
        .authority("foo.test");
  }

  H2FrameBytes headers(int stream, Http2Headers headers, boolean endStream) {
    writer.writeHeaders(ctx, stream, headers, 0, endStream, ctx.newPromise());
    return this;
  }

  H2FrameBytes rst(int stream, Http2Error error) {
    writer.writeRstStream(ctx, stream, error.code(), ctx.newPromise());
    return this;
  }

  H2FrameBytes priority(int stream, int dependency) {
    writer.writePriority(ctx, stream, dependency, (short) 16, false, ctx.newPromise());
    return this;
  }

  H2FrameBytes windowUpdate(int stream, int increment) {
    writer.writeWindowUpdate(ctx, stream, increment, ctx.newPromise());
    return this;
  }

  /** Everything written since the last call, in order. */
  byte[] take() {
    channel.flushOutbound();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (ByteBuf b = channel.readOutbound(); b != null; b = channel.readOutbound()) {
      byte[] bytes = new byte[b.readableBytes()];
      b.readBytes(bytes);
      b.release();
      out.writeBytes(bytes);
    }
    return out.toByteArray();
  }

  @Override
  public void close() {
    writer.close();
    channel.finishAndReleaseAll();
  }
}
