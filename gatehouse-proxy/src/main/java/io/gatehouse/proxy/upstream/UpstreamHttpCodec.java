package io.gatehouse.proxy.upstream;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.CombinedChannelDuplexHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.ArrayDeque;
import java.util.List;

/**
 * The HTTP/1.1 codec of an upstream connection, first in its pipeline: Netty's request encoder and
 * response decoder, paired as in Netty's {@code HttpClientCodec} (a response to a HEAD has no body
 * whatever its headers say), plus what that codec cannot tell: whether the decoder holds bytes it
 * has not turned into a message. After a complete response such bytes are surplus the upstream sent
 * beyond the response's framing (SECURITY.md A11), even when they hold no line end and so decode to
 * nothing; a connection with any of them is never reused.
 *
 * <p>
 * A 2xx to CONNECT also has no body (RFC 9110 §9.3.6); the proxy never forwards CONNECT (its
 * authority-form target is refused), and anything after such a response would be surplus. Confined
 * to the connection's event loop; messages are owned as by Netty's codecs.
 *
 * <p>
 * A final response whose whole body is framed by Content-Length (or is empty) and already received
 * leaves the decoder as one {@code FullHttpResponse} instead of a head and its last part: the usual
 * small response then crosses the upstream pipeline and the client's once, in one write. Anything
 * else (1xx, 101, chunked or close-delimited bodies, a body still arriving, a decoding failure)
 * leaves as Netty decodes it.
 */
public final class UpstreamHttpCodec
    extends
      CombinedChannelDuplexHandler<UpstreamHttpCodec.Decoder, UpstreamHttpCodec.Encoder> {
  /** The methods of the requests written whose final response was not decoded yet, in order. */
  private final ArrayDeque<HttpMethod> awaiting = new ArrayDeque<>();

  UpstreamHttpCodec(HttpDecoderConfig config) {
    init(new Decoder(config), new Encoder());
  }

  /** Whether bytes wait in the decoder, received but not (yet) decoded into a message. */
  boolean hasUndecodedBytes() {
    return inboundHandler().undecoded() > 0;
  }

  /** Records the method of each request head it encodes. */
  final class Encoder extends HttpRequestEncoder {
    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise)
        throws Exception {
      if (msg instanceof HttpRequest r) {
        awaiting.add(r.method());
      }
      super.write(ctx, msg, promise);
    }
  }

  /** Takes the method of the request each final response answers. */
  final class Decoder extends HttpResponseDecoder {
    private final int maxChunkSize;

    Decoder(HttpDecoderConfig config) {
      super(config);
      this.maxChunkSize = config.getMaxChunkSize();
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf buffer, List<Object> out)
        throws Exception {
      int start = out.size();
      super.decode(ctx, buffer, out);
      if (out.size() == start + 1 && out.get(start) instanceof HttpResponse head
          && isWholeCandidate(head)) {
        long length = HttpUtil.getContentLength(head, -1L);
        if (length > 0 && length <= maxChunkSize && buffer.readableBytes() >= length) {
          super.decode(ctx, buffer, out); // the body, all here: one last part
        }
      }
      if (out.size() == start + 2 && out.get(start) instanceof HttpResponse head
          && isWholeCandidate(head) && out.get(start + 1) instanceof LastHttpContent last
          && last.decoderResult().isSuccess()) {
        out.set(start, new DefaultFullHttpResponse(head.protocolVersion(), head.status(),
            last.content(), head.headers(), last.trailingHeaders()));
        out.remove(start + 1);
      }
    }

    /** A successfully decoded final head, not a 101, not itself a full message. */
    private static boolean isWholeCandidate(HttpResponse head) {
      int code = head.status().code();
      return !(head instanceof HttpContent) && code >= 200 && code != 101
          && head.decoderResult().isSuccess();
    }

    int undecoded() {
      return actualReadableBytes();
    }

    @Override
    protected boolean isContentAlwaysEmpty(HttpMessage msg) {
      int code = ((HttpResponse) msg).status().code();
      if (code < 200) {
        return super.isContentAlwaysEmpty(msg); // interim: the request still awaits its response
      }
      HttpMethod method = awaiting.poll();
      return HttpMethod.HEAD.equals(method)
          || HttpMethod.CONNECT.equals(method) && code < 300
          || super.isContentAlwaysEmpty(msg);
    }
  }
}
