package io.gatehouse.proxy.udp;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * Limits of the UDP data plane.
 *
 * @param sessionIdle a session with no datagram in either direction for this long is closed (its
 * upstream socket too); the client's next datagram starts a new session
 * @param maxSessions open sessions per UDP listener; a datagram that would open one more is dropped
 * and counted
 */
public record UdpLimits(Duration sessionIdle, int maxSessions) {
  /** The largest UDP payload (IPv4: 65,535 minus the 8-byte UDP and 20-byte IP headers). */
  public static final int MAX_DATAGRAM = 65_507;

  public UdpLimits {
    requireNonNull(sessionIdle, "sessionIdle");
    if (sessionIdle.isNegative() || sessionIdle.isZero()) {
      throw new IllegalArgumentException("sessionIdle must be positive");
    }
    if (maxSessions < 1) {
      throw new IllegalArgumentException("maxSessions < 1");
    }
  }

  /** 60 s idle timeout, 10,000 sessions per listener. */
  public static UdpLimits defaults() {
    return new UdpLimits(Duration.ofSeconds(60), 10_000);
  }
}
