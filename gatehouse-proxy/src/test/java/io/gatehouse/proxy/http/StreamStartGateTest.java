package io.gatehouse.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamStartGateTest {
  private final List<Object> seen = new ArrayList<>();
  private int readCompletes;
  private final EmbeddedChannel ch = new EmbeddedChannel(new StreamStartGate(),
      new ChannelInboundHandlerAdapter() {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
          seen.add(msg);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
          readCompletes++;
        }
      });

  @Test
  void framesWaitForTheEndOfTheReadBurstThenPassInOrder() {
    ByteBuf first = buf("headers");
    ByteBuf second = buf("data");
    // Fired through the pipeline without running the event loop's tasks: one read burst.
    ch.pipeline().fireChannelRead(first).fireChannelRead(second);
    assertThat(seen).isEmpty();
    ch.pipeline().fireChannelReadComplete(); // (EmbeddedChannel may run its tasks here)
    ch.runPendingTasks();
    assertThat(seen).containsExactly(first, second);
    assertThat(readCompletes).isEqualTo(1);
    assertThat(ch.pipeline().get(StreamStartGate.class)).isNull(); // out of the way afterwards
    first.release();
    second.release();
    assertThat(ch.finish()).isFalse();
  }

  @Test
  void aStreamClosedWithinTheBurstIsDroppedAndReleased() {
    ByteBuf headers = buf("headers");
    ch.pipeline().fireChannelRead(headers);
    ch.pipeline().fireChannelInactive(); // the client's RST_STREAM, read in the same burst
    ch.runPendingTasks();
    assertThat(seen).isEmpty();
    assertThat(headers.refCnt()).isZero();
    ch.finishAndReleaseAll();
  }

  private static ByteBuf buf(String s) {
    return Unpooled.copiedBuffer(s, StandardCharsets.US_ASCII);
  }
}
