package io.gatehouse.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class Http1EchoHandlerTest {

  private final EchoResponder responder = new EchoResponder(
      EchoOptions.of("127.0.0.1", 3000, "p-1-2", "ns"),
      new RequestLog(), Clock.systemUTC());
  private final EmbeddedChannel channel = new EmbeddedChannel(new Http1EchoHandler(responder));

  @AfterEach
  void finish() {
    channel.finishAndReleaseAll();
  }

  private static DefaultHttpRequest get(String uri) {
    DefaultHttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri);
    request.headers().set("Host", "example.com");
    return request;
  }

  private FullHttpResponse readResponse() {
    FullHttpResponse response = channel.readOutbound();
    assertThat(response).isNotNull();
    return response;
  }

  @Test
  void discardsTheBodyAndAnswersAfterTheLastContent() {
    ByteBuf chunk = Unpooled.copiedBuffer("hello", StandardCharsets.UTF_8);
    ByteBuf last = Unpooled.copiedBuffer("!", StandardCharsets.UTF_8);

    channel.writeInbound(get("/body"), new DefaultHttpContent(chunk));
    assertThat((Object) channel.readOutbound()).isNull();
    channel.writeInbound(new DefaultLastHttpContent(last));

    FullHttpResponse response = readResponse();
    try {
      assertThat(response.status().code()).isEqualTo(200);
      assertThat(response.headers().get("Content-Type")).isEqualTo("application/json");
      assertThat(response.headers().getInt("Content-Length"))
          .isEqualTo(response.content().readableBytes());
      assertThat(response.content().toString(StandardCharsets.UTF_8))
          .contains("\"path\": \"/body\"");
    } finally {
      response.release();
    }
    assertThat(chunk.refCnt()).isZero();
    assertThat(last.refCnt()).isZero();
  }

  @Test
  void schedulesDelaysAndKeepsPipelinedResponsesInOrder() {
    channel.freezeTime();
    channel.writeInbound(get("/first?delay=1s"), LastHttpContent.EMPTY_LAST_CONTENT, get("/second"),
        LastHttpContent.EMPTY_LAST_CONTENT);
    assertThat((Object) channel.readOutbound()).isNull();

    channel.advanceTimeBy(999, TimeUnit.MILLISECONDS);
    channel.runScheduledPendingTasks();
    assertThat((Object) channel.readOutbound()).isNull();

    channel.advanceTimeBy(1, TimeUnit.MILLISECONDS);
    channel.runScheduledPendingTasks();
    FullHttpResponse first = readResponse();
    FullHttpResponse second = readResponse();
    try {
      assertThat(first.content().toString(StandardCharsets.UTF_8))
          .contains("\"path\": \"/first?delay=1s\"");
      assertThat(second.content().toString(StandardCharsets.UTF_8))
          .contains("\"path\": \"/second\"");
    } finally {
      first.release();
      second.release();
    }
  }

  @Test
  void answersUndecodableRequestsWith400AndCloses() {
    DefaultHttpRequest bad = get("/bad");
    bad.setDecoderResult(
        DecoderResult.failure(new IllegalArgumentException("bad")));

    channel.writeInbound(bad);

    FullHttpResponse response = readResponse();
    try {
      assertThat(response.status().code()).isEqualTo(400);
    } finally {
      response.release();
    }
    assertThat(channel.isOpen()).isFalse();
  }
}
