package io.gatehouse.testing;

import java.util.ArrayDeque;
import java.util.List;

/**
 * Bounded, thread-safe log of echoed requests; the oldest entries are dropped beyond
 * {@link #CAPACITY}. Written from event loops, read by tests and the conformance runner.
 */
final class RequestLog {

  static final int CAPACITY = 10_000;

  private final ArrayDeque<EchoRequestLog> entries = new ArrayDeque<>();

  synchronized void add(EchoRequestLog entry) {
    if (entries.size() == CAPACITY) {
      entries.removeFirst();
    }
    entries.addLast(entry);
  }

  synchronized List<EchoRequestLog> snapshot() {
    return List.copyOf(entries);
  }
}
