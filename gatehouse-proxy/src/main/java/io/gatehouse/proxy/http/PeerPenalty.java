package io.gatehouse.proxy.http;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * How long a client address is refused new connections after one of its HTTP/2 connections was
 * closed with GOAWAY(ENHANCE_YOUR_CALM) (rapid reset, MadeYouReset, the PRIORITY, WINDOW_UPDATE and
 * control-frame floods): {@code initial} the first time, doubled for each further offence within
 * twice the penalty, at most {@code max}. A refused connection is closed at accept, before any TLS
 * or HTTP work. IPv6 clients are judged by their /64 prefix.
 *
 * @param enabled false turns the penalty off (every address is always accepted)
 * @param initial the first penalty of an address
 * @param max the longest penalty, however often an address offends
 * @param maxAddresses the most addresses remembered at once; once full, new offenders are not
 * penalised until older penalties expire
 */
public record PeerPenalty(boolean enabled, Duration initial, Duration max, int maxAddresses) {
  public PeerPenalty {
    requireNonNull(initial, "initial");
    requireNonNull(max, "max");
    if (initial.isNegative() || initial.isZero()) {
      throw new IllegalArgumentException("initial must be positive: " + initial);
    }
    if (max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("max (" + max + ") must not be less than initial ("
          + initial + ")");
    }
    if (maxAddresses <= 0) {
      throw new IllegalArgumentException("maxAddresses <= 0: " + maxAddresses);
    }
  }

  /** On: 10 s, doubling up to 5 min, at most 100,000 addresses remembered. */
  public static PeerPenalty defaults() {
    return new PeerPenalty(true, Duration.ofSeconds(10), Duration.ofMinutes(5), 100_000);
  }

  /** Off (the default durations kept, for a settings file that turns it back on). */
  public static PeerPenalty disabled() {
    return defaults().withEnabled(false);
  }

  public PeerPenalty withEnabled(boolean on) {
    return new PeerPenalty(on, initial, max, maxAddresses);
  }
}
