package io.gatehouse.proxy.upstream;

/**
 * Nginx's smooth weighted round-robin: over any window of {@code sum(weights)} picks, index
 * {@code i} is chosen exactly {@code weights[i]} times, spread out rather than in runs.
 *
 * <p>
 * Not thread-safe: each event loop keeps its own instance (see {@link UpstreamCluster#next}).
 */
final class SmoothWeightedRoundRobin {
  private final int[] weights;
  private final long[] current;
  private final long total;

  SmoothWeightedRoundRobin(int[] weights) {
    this.weights = weights.clone();
    this.current = new long[weights.length];
    long sum = 0;
    for (int w : weights) {
      sum += w;
    }
    this.total = sum;
  }

  /** The next index; weights must be non-empty. */
  int next() {
    int best = 0;
    for (int i = 0; i < weights.length; i++) {
      current[i] += weights[i];
      if (current[i] > current[best]) {
        best = i;
      }
    }
    current[best] -= total;
    return best;
  }
}
