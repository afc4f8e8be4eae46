package io.gatehouse.proxy.l4;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Picks an index by weight, one pick per new connection, from any thread. Small weight sums (after
 * dividing by their greatest common divisor) follow a precomputed smooth weighted round-robin
 * sequence shared by all event loops, so over every window of {@code sum} picks index {@code i} is
 * chosen exactly {@code weights[i]} times; larger sums pick at random by weight. A weight of 0 is
 * never picked.
 *
 * <p>
 * Thread-safe: the only shared state is an atomic position in the sequence.
 */
final class WeightedPicker {
  private static final int MAX_SEQUENCE = 4096;

  private final int[] weights;
  private final long total;
  private final int @org.jspecify.annotations.Nullable [] sequence;
  private final AtomicLong position = new AtomicLong();

  WeightedPicker(int[] weights) {
    this.weights = weights.clone();
    long sum = 0;
    int gcd = 0;
    for (int w : weights) {
      if (w < 0) {
        throw new IllegalArgumentException("weight < 0");
      }
      sum += w;
      gcd = gcd(gcd, w);
    }
    this.total = sum;
    this.sequence = sum > 0 && sum / gcd <= MAX_SEQUENCE ? sequence(weights, gcd) : null;
  }

  /** The next index, or -1 when every weight is 0. */
  int pick() {
    if (total == 0) {
      return -1;
    }
    if (sequence != null) {
      return sequence[(int) Math.floorMod(position.getAndIncrement(), (long) sequence.length)];
    }
    long r = ThreadLocalRandom.current().nextLong(total);
    for (int i = 0; i < weights.length; i++) {
      r -= weights[i];
      if (r < 0) {
        return i;
      }
    }
    return weights.length - 1;
  }

  /** Nginx's smooth weighted round-robin, unrolled over one period. */
  private static int[] sequence(int[] weights, int gcd) {
    int[] reduced = new int[weights.length];
    int sum = 0;
    for (int i = 0; i < weights.length; i++) {
      reduced[i] = weights[i] / gcd;
      sum += reduced[i];
    }
    long[] current = new long[weights.length];
    int[] out = new int[sum];
    for (int n = 0; n < sum; n++) {
      int best = -1;
      for (int i = 0; i < reduced.length; i++) {
        current[i] += reduced[i];
        if (reduced[i] > 0 && (best < 0 || current[i] > current[best])) {
          best = i;
        }
      }
      current[best] -= sum;
      out[n] = best;
    }
    return out;
  }

  private static int gcd(int a, int b) {
    return b == 0 ? a : gcd(b, a % b);
  }
}
