package io.gatehouse.proxy.upstream;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.CombinedChannelDuplexHandler;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import java.util.ArrayDeque;

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
    Decoder(HttpDecoderConfig config) {
      super(config);
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
