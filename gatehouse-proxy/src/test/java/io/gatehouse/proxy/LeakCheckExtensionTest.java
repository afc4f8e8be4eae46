package io.gatehouse.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;

/** Proves that the leak check can fail: a deliberately dropped buffer is reported. */
class LeakCheckExtensionTest {

  @Test
  void reportsADroppedBuffer() {
    LeakCheckExtension.collectLeaks(); // start clean
    leakOne();
    assertThat(LeakCheckExtension.collectLeaks()).anySatisfy(m -> assertThat(m).contains("LEAK:"));
  }

  private static void leakOne() {
    ByteBuf leaked = PooledByteBufAllocator.DEFAULT.buffer(16);
    leaked.writeInt(42);
  }
}
