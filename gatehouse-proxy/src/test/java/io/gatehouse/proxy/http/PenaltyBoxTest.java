package io.gatehouse.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PenaltyBoxTest {
  private static final long SECOND = 1_000_000_000L;
  private final AtomicLong now = new AtomicLong(1_000 * SECOND);
  private final PenaltyBox box = new PenaltyBox(
      new PeerPenalty(true, Duration.ofSeconds(10), Duration.ofSeconds(40), 3), now::get);

  @Test
  void anAddressIsRefusedForTheInitialPenaltyThenAccepted() {
    box.penalise(peer("10.0.0.1", 1000));
    assertThat(box.refuses(peer("10.0.0.1", 2000))).isTrue(); // any port of the address
    assertThat(box.refuses(peer("10.0.0.2", 1000))).isFalse();
    now.addAndGet(10 * SECOND - 1);
    assertThat(box.refuses(peer("10.0.0.1", 3000))).isTrue();
    now.addAndGet(1);
    assertThat(box.refuses(peer("10.0.0.1", 3000))).isFalse();
    assertThat(box.refused()).isEqualTo(2);
    assertThat(box.penalties()).isEqualTo(1);
  }

  @Test
  void repeatOffencesDoubleThePenaltyUpToTheMaximum() {
    long[] expected = {10, 20, 40, 40};
    for (long seconds : expected) {
      box.penalise(peer("10.0.0.1", 1));
      now.addAndGet(seconds * SECOND - 1);
      assertThat(box.refuses(peer("10.0.0.1", 1))).isTrue();
      now.addAndGet(1);
      assertThat(box.refuses(peer("10.0.0.1", 1))).isFalse();
    }
  }

  @Test
  void anOffenceLongAfterThePenaltyStartsAgainFromTheInitial() {
    box.penalise(peer("10.0.0.1", 1));
    now.addAndGet(20 * SECOND); // expired, and one more penalty period has passed
    box.penalise(peer("10.0.0.1", 1));
    now.addAndGet(10 * SECOND);
    assertThat(box.refuses(peer("10.0.0.1", 1))).isFalse();
  }

  @Test
  void ipv6AddressesAreJudgedByTheirSlash64() {
    box.penalise(peer("2001:db8:1:2::1", 1));
    assertThat(box.refuses(peer("2001:db8:1:2:ffff::9", 1))).isTrue();
    assertThat(box.refuses(peer("2001:db8:1:3::1", 1))).isFalse();
  }

  @Test
  void memoryIsBoundedExpiredEntriesMakeRoom() {
    box.penalise(peer("10.0.0.1", 1));
    box.penalise(peer("10.0.0.2", 1));
    box.penalise(peer("10.0.0.3", 1));
    box.penalise(peer("10.0.0.4", 1)); // full of live penalties: not remembered
    assertThat(box.refuses(peer("10.0.0.4", 1))).isFalse();
    now.addAndGet(20 * SECOND); // the first three are forgotten
    box.penalise(peer("10.0.0.4", 1));
    assertThat(box.refuses(peer("10.0.0.4", 1))).isTrue();
  }

  @Test
  void aDisabledBoxRefusesNothing() {
    PenaltyBox off = new PenaltyBox(PeerPenalty.disabled(), now::get);
    off.penalise(peer("10.0.0.1", 1));
    assertThat(off.refuses(peer("10.0.0.1", 1))).isFalse();
    assertThat(off.enabled()).isFalse();
    assertThat(PenaltyBox.off().refuses(peer("10.0.0.1", 1))).isFalse();
  }

  private static InetSocketAddress peer(String ip, int port) {
    return new InetSocketAddress(ip, port);
  }
}
