package io.gatehouse.testing;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Per-uuid attempt counters of the {@code /retry/} simulator. Thread-safe; keeps the most recently
 * used {@link #CAPACITY} uuids, since the conformance suite uses a fresh uuid per attempt.
 */
final class RetrySimulator {

  static final int CAPACITY = 10_000;

  private final Map<String, Integer> attempts = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
      return size() > CAPACITY;
    }
  };

  /**
   * Counts one attempt for {@code uuid}; returns true (fail this attempt) while fewer than
   * {@code succeedAfter} attempts have failed before.
   */
  synchronized boolean shouldFail(String uuid, int succeedAfter) {
    int failed = attempts.getOrDefault(uuid, 0);
    if (failed < succeedAfter) {
      attempts.put(uuid, failed + 1);
      return true;
    }
    return false;
  }
}
