package io.gatehouse.proxy.http;

import static java.util.Objects.requireNonNull;

import io.gatehouse.model.ConnectionLimits;
import io.gatehouse.model.EdgeTimeouts;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * What every listener of one proxy shares at the edge: the timeouts, the connection limits with the
 * process-wide connection count, the overload state, the reject counters, the access log and the
 * {@link PenaltyBox} of client addresses refused after GOAWAY(ENHANCE_YOUR_CALM).
 *
 * <p>
 * Thread-safe.
 */
public final class EdgeContext {
  private final EdgeTimeouts timeouts;
  private final ConnectionLimits limits;
  private final AtomicInteger processConnections = new AtomicInteger();
  private final BooleanSupplier overloaded;
  private final EdgeCounters counters;
  private final AccessLog accessLog;
  private final PenaltyBox penalties;

  /**
   * @param overloaded true while new requests are to be refused with 503 and new connections closed
   * (memory pressure, see the overload guard)
   */
  public EdgeContext(EdgeTimeouts timeouts, ConnectionLimits limits, BooleanSupplier overloaded) {
    this(timeouts, limits, overloaded, PenaltyBox.off());
  }

  /** @param penalties the client addresses refused new connections (shared by every listener) */
  public EdgeContext(EdgeTimeouts timeouts, ConnectionLimits limits, BooleanSupplier overloaded,
      PenaltyBox penalties) {
    this(timeouts, limits, overloaded, new EdgeCounters(), AccessLog.DEFAULT, penalties);
  }

  /**
   * @param counters counts the requests refused at the edge, by reason
   * @param accessLog receives one line per request
   */
  public EdgeContext(EdgeTimeouts timeouts, ConnectionLimits limits, BooleanSupplier overloaded,
      EdgeCounters counters, AccessLog accessLog) {
    this(timeouts, limits, overloaded, counters, accessLog, PenaltyBox.off());
  }

  private EdgeContext(EdgeTimeouts timeouts, ConnectionLimits limits, BooleanSupplier overloaded,
      EdgeCounters counters, AccessLog accessLog, PenaltyBox penalties) {
    this.penalties = requireNonNull(penalties, "penalties");
    this.counters = requireNonNull(counters, "counters");
    this.accessLog = requireNonNull(accessLog, "accessLog");
    this.timeouts = requireNonNull(timeouts, "timeouts");
    this.limits = requireNonNull(limits, "limits");
    this.overloaded = requireNonNull(overloaded, "overloaded");
  }

  /** Default timeouts and limits, never overloaded. */
  public static EdgeContext defaults() {
    return new EdgeContext(EdgeTimeouts.defaults(), ConnectionLimits.defaults(), () -> false);
  }

  public EdgeTimeouts timeouts() {
    return timeouts;
  }

  public ConnectionLimits limits() {
    return limits;
  }

  public EdgeCounters counters() {
    return counters;
  }

  /** The client addresses refused new connections; never null (a disabled box when off). */
  public PenaltyBox penalties() {
    return penalties;
  }

  public AccessLog accessLog() {
    return accessLog;
  }

  public boolean overloaded() {
    return overloaded.getAsBoolean();
  }

  /** Open client connections of all listeners. */
  public int processConnections() {
    return processConnections.get();
  }

  /**
   * Counts a new connection of a listener whose count is {@code listener}, unless either limit is
   * reached; then nothing is counted. A counted connection must be {@linkplain #release released}.
   */
  boolean admit(AtomicInteger listener) {
    if (processConnections.incrementAndGet() > limits.processWide()) {
      processConnections.decrementAndGet();
      return false;
    }
    if (listener.incrementAndGet() > limits.perListener()) {
      listener.decrementAndGet();
      processConnections.decrementAndGet();
      return false;
    }
    return true;
  }

  void release(AtomicInteger listener) {
    listener.decrementAndGet();
    processConnections.decrementAndGet();
  }
}
