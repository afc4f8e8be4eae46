package io.gatehouse.model;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * Load shedding before memory runs out (Envoy's overload manager at the edge). Memory pressure is
 * the larger of heap use (of the maximum heap) and direct memory use (of the maximum direct
 * memory), sampled every {@code interval}.
 *
 * @param shrinkAt pressure at or above which cached pooled buffers and idle upstream connections
 * are released
 * @param stopAt pressure at or above which new requests are answered 503 (and their connection
 * closed) and new connections are closed as they are accepted, until pressure falls below it again
 * @param interval how often memory is sampled
 */
public record OverloadGuard(double shrinkAt, double stopAt, Duration interval) {
  public OverloadGuard {
    if (!(shrinkAt > 0 && shrinkAt <= stopAt && stopAt <= 1)) {
      throw new IllegalArgumentException("need 0 < shrinkAt <= stopAt <= 1");
    }
    requireNonNull(interval, "interval");
    if (!interval.isPositive()) {
      throw new IllegalArgumentException("interval must be positive");
    }
  }

  /** Shrink at 95 %, stop at 98 %, sampled every 250 ms. */
  public static OverloadGuard defaults() {
    return new OverloadGuard(0.95, 0.98, Duration.ofMillis(250));
  }
}
