package io.gatehouse.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.internal.PlatformDependent;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The peak of Netty's reserved direct memory over its value at construction, sampled every
 * millisecond by a daemon thread until closed. Used by the memory tests (FloodMemoryIT,
 * TlsHandshakeMemoryIT, GrpcFlowControlIT) to bound what an attack or a slow client makes the proxy
 * hold.
 */
public final class DirectMemoryPeak implements AutoCloseable {
  private final long baseline = PlatformDependent.usedDirectMemory();
  private final AtomicLong max = new AtomicLong(baseline);
  private volatile boolean running = true;
  private final Thread sampler;

  /** Starts sampling; {@code name} names the sampler thread. */
  public DirectMemoryPeak(String name) {
    assertThat(baseline).as("Netty counts its direct memory").isNotNegative();
    sampler = new Thread(this::sample, name);
    sampler.setDaemon(true);
    sampler.start();
  }

  private void sample() {
    while (running) {
      max.accumulateAndGet(PlatformDependent.usedDirectMemory(), Math::max);
      try {
        Thread.sleep(1);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** The highest reserved direct memory seen so far, minus the value at construction. */
  public long growth() {
    max.accumulateAndGet(PlatformDependent.usedDirectMemory(), Math::max);
    return max.get() - baseline;
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    sampler.join(1000);
  }
}
