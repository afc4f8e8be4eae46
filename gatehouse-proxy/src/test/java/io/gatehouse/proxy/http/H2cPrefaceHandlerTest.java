package io.gatehouse.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The preface check on an {@link EmbeddedChannel}: whatever it decides, the bytes reach the next
 * handler unchanged and in order, and the handler is gone afterwards.
 */
class H2cPrefaceHandlerTest {
  private static final String PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

  private final AtomicInteger switched = new AtomicInteger();
  private final ByteArrayOutputStream received = new ByteArrayOutputStream();
  private final EmbeddedChannel ch = new EmbeddedChannel(
      new H2cPrefaceHandler(ctx -> switched.incrementAndGet()),
      new ChannelInboundHandlerAdapter() {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
          ByteBuf b = (ByteBuf) msg;
          try {
            received.writeBytes(io.netty.buffer.ByteBufUtil.getBytes(b));
          } finally {
            b.release();
          }
        }
      });

  @AfterEach
  void nothingLeftOver() {
    assertThat(ch.finishAndReleaseAll()).isFalse();
  }

  @Test
  void http11PassesThroughUnchangedEvenWhenItsFirstByteCouldStartThePreface() {
    send("P");
    assertThat(ch.pipeline().get(H2cPrefaceHandler.class)).isNotNull(); // undecided
    send("OST / HTTP/1.1\r\nHost: a\r\n\r\n");
    assertThat(switched).hasValue(0);
    assertThat(ch.pipeline().get(H2cPrefaceHandler.class)).isNull();
    send("GET / HTTP/1.1\r\n\r\n");
    assertThat(received()).isEqualTo("POST / HTTP/1.1\r\nHost: a\r\n\r\nGET / HTTP/1.1\r\n\r\n");
  }

  @Test
  void aNearMissIsHttp11() {
    send("PRI * HTTP/1.1\r\n\r\n");
    assertThat(switched).hasValue(0);
    assertThat(received()).isEqualTo("PRI * HTTP/1.1\r\n\r\n");
  }

  @Test
  void theWholePrefaceSwitchesOnceAndIsHandedOnWithWhatFollows() {
    send(PREFACE.substring(0, 3));
    send(PREFACE.substring(3, 20));
    assertThat(switched).hasValue(0);
    assertThat(received()).isEmpty();
    send(PREFACE.substring(20) + "frames");
    assertThat(switched).hasValue(1);
    assertThat(ch.pipeline().get(H2cPrefaceHandler.class)).isNull();
    assertThat(received()).isEqualTo(PREFACE + "frames");
  }

  private void send(String s) {
    ch.writeInbound(Unpooled.copiedBuffer(s, StandardCharsets.US_ASCII));
  }

  private String received() {
    return received.toString(StandardCharsets.US_ASCII);
  }
}
