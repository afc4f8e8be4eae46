package io.gatehouse.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class when Netty reported a buffer leak while it ran. Registered for every class by
 * auto-detection (see {@code junit-platform.properties}); the suite runs at paranoid level, so
 * every buffer is tracked.
 *
 * <p>
 * Netty reports a leak only when a later allocation finds a collected, unreleased buffer, so
 * {@link #collectLeaks} runs the garbage collector and allocates until reports surface.
 */
public final class LeakCheckExtension implements AfterAllCallback {

  @Override
  public void afterAll(ExtensionContext context) {
    List<String> leaks = collectLeaks();
    assertThat(leaks).as("Netty leak reports in %s", context.getDisplayName()).isEmpty();
  }

  /** Forces pending leak reports out and returns (and clears) every report recorded so far. */
  public static List<String> collectLeaks() {
    if (ResourceLeakDetector.getLevel() != ResourceLeakDetector.Level.PARANOID) {
      throw new IllegalStateException("run tests with -Dio.netty.leakDetection.level=paranoid");
    }
    for (int i = 0; i < 5; i++) {
      System.gc();
      System.runFinalization();
      for (int j = 0; j < 100; j++) {
        ByteBuf b = PooledByteBufAllocator.DEFAULT.buffer(8);
        b.release();
      }
    }
    return LeakRecorder.drain();
  }
}
