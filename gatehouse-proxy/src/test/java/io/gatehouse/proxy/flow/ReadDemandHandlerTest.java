package io.gatehouse.proxy.flow;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReadDemandHandlerTest {
  private final List<Object> received = new ArrayList<>();
  private final List<String> events = new ArrayList<>();
  private final ReadDemandHandler gate = new ReadDemandHandler();
  private final EmbeddedChannel ch = new EmbeddedChannel(new ChannelInboundHandlerAdapter() {
    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
      ctx.channel().config().setAutoRead(false);
    }
  }, gate, new ChannelInboundHandlerAdapter() {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      received.add(msg);
      events.add("read");
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      events.add("inactive");
    }
  });

  @Test
  void deliversOneMessagePerRead() {
    ch.writeInbound("a", "b", "c");
    assertThat(received).isEmpty();
    ch.read();
    assertThat(received).containsExactly("a");
    ch.read();
    ch.read();
    assertThat(received).containsExactly("a", "b", "c");
    ch.read(); // demand stays for the next message
    ch.writeInbound("d");
    assertThat(received).containsExactly("a", "b", "c", "d");
    ch.finishAndReleaseAll();
  }

  @Test
  void prefetchReadsTheSocketWithoutAskingForAMessage() {
    List<Object> got = new ArrayList<>();
    int[] socketReads = {0};
    ReadDemandHandler d = new ReadDemandHandler();
    EmbeddedChannel c = new EmbeddedChannel(new ChannelOutboundHandlerAdapter() {
      @Override
      public void handlerAdded(ChannelHandlerContext ctx) {
        ctx.channel().config().setAutoRead(false);
      }

      @Override
      public void read(ChannelHandlerContext ctx) {
        socketReads[0]++;
        ctx.read();
      }
    }, d, new ChannelInboundHandlerAdapter() {
      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        got.add(msg);
      }
    });
    int before = socketReads[0];
    d.prefetch();
    assertThat(socketReads[0]).isEqualTo(before + 1);
    c.writeInbound("next");
    assertThat(got).isEmpty(); // nobody asked for it: it waits here
    d.prefetch(); // something is queued: no further socket read
    assertThat(socketReads[0]).isEqualTo(before + 1);
    c.read();
    assertThat(got).containsExactly("next"); // delivered from the queue, no socket read needed
    assertThat(socketReads[0]).isEqualTo(before + 1);
    c.finishAndReleaseAll();
  }

  @Test
  void deliversWhatIsQueuedBeforeInactive() {
    ch.writeInbound("a", "b");
    assertThat(events).isEmpty();
    ch.close();
    assertThat(events).containsExactly("read", "read", "inactive");
  }

  @Test
  void releasesWhatIsStillQueuedWhenRemoved() {
    ByteBuf buf = Unpooled.buffer(4).writeInt(1);
    ch.writeInbound(buf);
    ch.pipeline().remove(gate);
    assertThat(buf.refCnt()).isZero();
    ch.finishAndReleaseAll();
  }
}
