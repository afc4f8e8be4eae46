package io.gatehouse.model;

import java.time.Duration;
import java.util.List;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * When a forwarded request may be sent to the backend again (Gateway API {@code HTTPRouteRetry}). A
 * retry is made after a connection error, after a backend request timeout, or after a response
 * whose status is in {@code codes}, and only while it is safe: nothing of the response reached the
 * client yet, the whole request body read so far is buffered, and the request either cannot have
 * reached the backend or has an idempotent method. The route's request timeout covers all attempts;
 * its backend request timeout covers each one.
 *
 * @param codes response statuses (400-599) that are retried; sorted, without duplicates
 * @param attempts how many times a request may be sent again after its first try; 0 = never
 * @param backoff the minimum wait before each retry; null leaves it to the proxy's default
 */
public record Retry(List<Integer> codes, int attempts, @Nullable Duration backoff) {
  /** No retries. */
  public static final Retry NONE = new Retry(List.of(), 0, null);

  public Retry {
    TreeSet<Integer> sorted = new TreeSet<>(codes);
    for (int code : sorted) {
      if (code < 400 || code > 599) {
        throw new IllegalArgumentException("retry code out of range: " + code);
      }
    }
    codes = List.copyOf(sorted);
    if (attempts < 0) {
      throw new IllegalArgumentException("attempts < 0");
    }
    if (backoff != null && backoff.isNegative()) {
      throw new IllegalArgumentException("negative backoff");
    }
  }

  /** Whether any retry may happen at all. */
  public boolean enabled() {
    return attempts > 0;
  }
}
