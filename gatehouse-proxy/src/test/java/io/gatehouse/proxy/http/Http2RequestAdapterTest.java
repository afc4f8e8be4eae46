package io.gatehouse.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link Http2RequestAdapter} makes converted HTTP/2 requests look like HTTP/1.1 ones. */
class Http2RequestAdapterTest {
  private final EmbeddedChannel ch = new EmbeddedChannel(new Http2RequestAdapter());

  @AfterEach
  void nothingLeftOver() {
    assertThat(ch.finishAndReleaseAll()).isFalse();
  }

  @Test
  void passesABodilessRequestWholeWithoutConversionHeaders() {
    ByteBuf empty = Unpooled.buffer(0);
    FullHttpRequest full = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/x",
        empty);
    full.headers().add("host", "a.test").add("host", "a.test").add("x-http2-stream-id", "3")
        .add("x-http2-scheme", "http").add("x-keep", "1");
    ch.writeInbound(full);
    FullHttpRequest whole = ch.readInbound();
    assertThat(whole.uri()).isEqualTo("/x");
    assertThat(whole.headers().getAll("host")).containsExactly("a.test");
    assertThat(whole.headers().names()).containsExactlyInAnyOrder("host", "x-keep");
    assertThat(whole.content()).isSameAs(Unpooled.EMPTY_BUFFER); // writable again by a retry
    assertThat(empty.refCnt()).isZero(); // the decoder's buffer is released here
    assertThat((Object) ch.readInbound()).isNull();
  }

  @Test
  void splitsAFullRequestWithContentIntoHeadAndLastPart() {
    FullHttpRequest full = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/x",
        Unpooled.copiedBuffer("abc", StandardCharsets.US_ASCII));
    full.headers().add("host", "a.test").add("x-http2-stream-id", "3");
    ch.writeInbound(full);
    HttpRequest head = ch.readInbound();
    assertThat(head).isNotInstanceOf(HttpContent.class);
    assertThat(head.headers().names()).containsExactly("host");
    LastHttpContent last = ch.readInbound();
    assertThat(last.content().toString(StandardCharsets.US_ASCII)).isEqualTo("abc");
    last.release();
  }

  @Test
  void framesABodyWithoutContentLengthAsChunked() {
    HttpRequest head = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/x");
    ch.writeInbound(head);
    assertThat(HttpUtil.isTransferEncodingChunked(ch.readInbound())).isTrue();

    HttpRequest sized = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/x");
    HttpUtil.setContentLength(sized, 5);
    ch.writeInbound(sized);
    HttpRequest out = ch.readInbound();
    assertThat(HttpUtil.isTransferEncodingChunked(out)).isFalse();
    assertThat(HttpUtil.getContentLength(out)).isEqualTo(5);
  }
}
