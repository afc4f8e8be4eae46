package io.gatehouse.proxy.flow;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.timeout.IdleStateEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link IdleTimeoutHandler} fires the events of an all-idle {@code IdleStateHandler}: the first
 * after a timeout without reads or writes, then one per further timeout, the first again after
 * activity; it passes messages on untouched. The waits are generous multiples of a 20 ms timeout;
 * nothing here measures time.
 */
class IdleTimeoutHandlerTest {
  private static final Duration TIMEOUT = Duration.ofMillis(20);

  private final List<Object> events = new ArrayList<>();

  private EmbeddedChannel channel(Duration timeout) {
    return new EmbeddedChannel(new IdleTimeoutHandler(timeout), new ChannelInboundHandlerAdapter() {
      @Override
      public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        events.add(evt);
      }
    });
  }

  /** Lets the timeout pass several times over, then runs the timer tasks that are due. */
  private static void idleFor(EmbeddedChannel ch, int timeouts) throws InterruptedException {
    for (int i = 0; i < timeouts; i++) {
      Thread.sleep(TIMEOUT.toMillis() * 3);
      ch.runScheduledPendingTasks();
    }
  }

  @Test
  void firesTheFirstAllIdleEventThenOnePerFurtherTimeout() throws Exception {
    EmbeddedChannel ch = channel(TIMEOUT);
    idleFor(ch, 2);
    assertThat(events).containsExactly(IdleStateEvent.FIRST_ALL_IDLE_STATE_EVENT,
        IdleStateEvent.ALL_IDLE_STATE_EVENT);
    ch.finishAndReleaseAll();
  }

  @Test
  void activityMakesTheNextEventAFirstOneAgain() throws Exception {
    EmbeddedChannel ch = channel(TIMEOUT);
    idleFor(ch, 1);
    assertThat(ch.writeOutbound("response")).isTrue();
    assertThat((Object) ch.readOutbound()).isEqualTo("response");
    idleFor(ch, 1);
    assertThat(ch.writeInbound("request")).isTrue();
    assertThat((Object) ch.readInbound()).isEqualTo("request");
    idleFor(ch, 1);
    assertThat(events).containsExactly(IdleStateEvent.FIRST_ALL_IDLE_STATE_EVENT,
        IdleStateEvent.FIRST_ALL_IDLE_STATE_EVENT, IdleStateEvent.FIRST_ALL_IDLE_STATE_EVENT);
    ch.finishAndReleaseAll();
  }

  @Test
  void aZeroTimeoutNeverFires() throws Exception {
    EmbeddedChannel ch = channel(Duration.ZERO);
    idleFor(ch, 2);
    assertThat(events).isEmpty();
    ch.finishAndReleaseAll();
  }

  @Test
  void noEventAfterTheChannelClosed() throws Exception {
    EmbeddedChannel ch = channel(TIMEOUT);
    ch.close();
    idleFor(ch, 2);
    assertThat(events).isEmpty();
  }
}
