package io.gatehouse.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.gatehouse.proxy.route.CorsPolicy;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/**
 * Responses gatehouse writes itself: a status and a short text/plain body with Content-Length, a
 * bodyless redirect, or a CORS preflight answer (204).
 */
final class LocalResponses {
  private LocalResponses() {
  }

  /** A new response; whoever writes it hands its buffer to the pipeline. */
  static FullHttpResponse of(ByteBufAllocator alloc, int status, String body, boolean close) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ByteBuf content = alloc.buffer(bytes.length).writeBytes(bytes);
    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
        HttpResponseStatus.valueOf(status), content);
    r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
        .setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
    if (close) {
      r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    }
    return r;
  }

  /** A redirect: {@code status}, {@code Location} and an empty body ({@code Content-Length: 0}). */
  static FullHttpResponse redirect(int status, String location, boolean close) {
    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
        HttpResponseStatus.valueOf(status), Unpooled.EMPTY_BUFFER);
    r.headers().set(HttpHeaderNames.LOCATION, location).setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
    if (close) {
      r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    }
    return r;
  }

  /**
   * The gateway's answer to a CORS preflight: 204 with the policy's headers for the request's
   * origin (none when the origin is not allowed) and an empty body.
   */
  static FullHttpResponse preflight(CorsPolicy cors, HttpHeaders request, boolean close) {
    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
        HttpResponseStatus.NO_CONTENT, Unpooled.EMPTY_BUFFER);
    cors.preflightHeaders(request, r.headers());
    if (close) {
      r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    }
    return r;
  }
}
