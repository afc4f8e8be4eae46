package io.gatehouse.proxy;

import io.gatehouse.model.OverloadGuard;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.ScheduledFuture;
import io.netty.util.internal.PlatformDependent;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Samples memory pressure every {@link OverloadGuard#interval()} and sheds load: at
 * {@link OverloadGuard#shrinkAt()} it runs the shrink action (release cached buffers and idle
 * upstream connections) once per episode, at {@link OverloadGuard#stopAt()} it reports
 * {@link #overloaded()} until pressure falls below it again.
 *
 * <p>
 * Pressure is the larger of the heap in use after the last collection (the old generation's
 * collection usage, so garbage awaiting collection does not count) over the maximum heap, and
 * Netty's direct memory in use over its maximum. Tests set the pressure instead
 * ({@link #simulate}). Thread-safe.
 */
final class OverloadMonitor implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(OverloadMonitor.class);

  private final OverloadGuard guard;
  private final Runnable shrink;
  private final List<MemoryPoolMXBean> heapPools;
  private final ScheduledFuture<?> sampling;
  private volatile boolean overloaded;
  private volatile double simulated = -1;
  private boolean shrunk;

  OverloadMonitor(OverloadGuard guard, EventLoopGroup group, Runnable shrink) {
    this.guard = guard;
    this.shrink = shrink;
    this.heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(p -> p.getType() == MemoryType.HEAP && p.isCollectionUsageThresholdSupported())
        .toList();
    long every = guard.interval().toNanos();
    this.sampling = group.next().scheduleAtFixedRate(this::sample, every, every,
        TimeUnit.NANOSECONDS);
  }

  /** Whether new requests get 503 and new connections are closed. */
  boolean overloaded() {
    return overloaded;
  }

  /**
   * Test hook: the pressure to act on from the next sample on, as a fraction of the limit; a
   * negative value returns to measuring.
   */
  void simulate(double pressure) {
    simulated = pressure;
  }

  /** The current pressure, 0 to 1. */
  double pressure() {
    double s = simulated;
    if (s >= 0) {
      return s;
    }
    long max = Runtime.getRuntime().maxMemory();
    long used = 0;
    for (MemoryPoolMXBean p : heapPools) {
      MemoryUsage u = p.getCollectionUsage();
      if (u != null) {
        used += u.getUsed();
      }
    }
    double heap = max > 0 && max != Long.MAX_VALUE ? (double) used / max : 0;
    long directMax = PlatformDependent.maxDirectMemory();
    long direct = PlatformDependent.usedDirectMemory();
    double directShare = direct >= 0 && directMax > 0 ? (double) direct / directMax : 0;
    return Math.max(heap, directShare);
  }

  private void sample() {
    try {
      double p = pressure();
      if (p >= guard.shrinkAt()) {
        if (!shrunk) {
          shrunk = true;
          log.warn("Memory pressure {}: releasing cached buffers and idle connections",
              String.format("%.2f", p));
          shrink.run();
        }
      } else {
        shrunk = false;
      }
      boolean stop = p >= guard.stopAt();
      if (stop != overloaded) {
        log.warn(stop
            ? "Memory pressure {}: refusing new requests and connections"
            : "Memory pressure {}: accepting again", String.format("%.2f", p));
      }
      overloaded = stop;
    } catch (RuntimeException e) {
      log.warn("Overload sampling failed", e);
    }
  }

  @Override
  public void close() {
    sampling.cancel(false);
  }
}
