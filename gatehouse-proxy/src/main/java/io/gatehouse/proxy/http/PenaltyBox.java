package io.gatehouse.proxy.http;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client addresses currently refused new connections ({@link PeerPenalty}): an HTTP/2
 * connection closed with GOAWAY(ENHANCE_YOUR_CALM) {@linkplain #penalise penalises} its peer's
 * address, and the listeners' accept gate asks {@link #refuses} for every new connection.
 *
 * <p>
 * Thread-safe and lock-free on the accept path (one map lookup). Memory is bounded by
 * {@link PeerPenalty#maxAddresses}; expired entries are dropped when the map is full. Logging is a
 * summary at most every {@link #LOG_INTERVAL_NANOS}: a rapid-reset attacker reconnecting in a loop
 * must not buy a log line per connection.
 */
public final class PenaltyBox {
  static final long LOG_INTERVAL_NANOS = 10_000_000_000L;
  private static final Logger log = LoggerFactory.getLogger(PenaltyBox.class);

  private final PeerPenalty policy;
  private final LongSupplier nanoClock;
  private final ConcurrentHashMap<Object, Entry> entries = new ConcurrentHashMap<>();
  private final LongAdder refused = new LongAdder();
  private final LongAdder penalties = new LongAdder();
  private final AtomicLong lastLog;
  private long refusedLogged;

  public PenaltyBox(PeerPenalty policy) {
    this(policy, System::nanoTime);
  }

  PenaltyBox(PeerPenalty policy, LongSupplier nanoClock) {
    this.policy = policy;
    this.nanoClock = nanoClock;
    this.lastLog = new AtomicLong(nanoClock.getAsLong() - LOG_INTERVAL_NANOS);
  }

  /** A box that never refuses anything. */
  public static PenaltyBox off() {
    return new PenaltyBox(PeerPenalty.disabled());
  }

  public boolean enabled() {
    return policy.enabled();
  }

  /**
   * Whether a new connection from {@code peer} is to be closed at once; counts it when so. False
   * for anything but an IP socket address.
   */
  public boolean refuses(SocketAddress peer) {
    if (!policy.enabled()) {
      return false;
    }
    Object key = keyOf(peer);
    Entry e = key == null ? null : entries.get(key);
    if (e == null || nanoClock.getAsLong() - e.until >= 0) {
      return false;
    }
    refused.increment();
    maybeLog(null, 0);
    return true;
  }

  /** Penalises {@code peer}'s address: {@link PeerPenalty#initial}, or double its last penalty. */
  public void penalise(SocketAddress peer) {
    Object key = keyOf(peer);
    if (!policy.enabled() || key == null) {
      return;
    }
    long now = nanoClock.getAsLong();
    if (!entries.containsKey(key) && entries.size() >= policy.maxAddresses()) {
      entries.values().removeIf(e -> now - e.forgetAt() >= 0);
      if (entries.size() >= policy.maxAddresses()) {
        return; // full of live penalties: this offender goes unpunished, its connection still closed
      }
    }
    long initial = policy.initial().toNanos();
    long max = policy.max().toNanos();
    Entry e = entries.compute(key, (k, old) -> {
      long duration = old != null && now - old.forgetAt() < 0
          ? Math.min(max, old.duration * 2)
          : initial;
      return new Entry(now + duration, duration);
    });
    penalties.increment();
    maybeLog(peer, e.duration);
  }

  /** Connections refused so far. */
  public long refused() {
    return refused.sum();
  }

  /** Penalties imposed so far (a repeat offence counts again). */
  public long penalties() {
    return penalties.sum();
  }

  private void maybeLog(SocketAddress peer, long duration) {
    long now = nanoClock.getAsLong();
    long last = lastLog.get();
    if (now - last < LOG_INTERVAL_NANOS || !lastLog.compareAndSet(last, now)) {
      return;
    }
    long total = refused.sum();
    long since;
    synchronized (this) {
      since = total - refusedLogged;
      refusedLogged = total;
    }
    if (peer != null) {
      log.warn("Peer {} refused new connections for {} ms after GOAWAY(ENHANCE_YOUR_CALM);"
          + " {} penalties, {} connections refused at accept so far ({} since the last report)",
          ((InetSocketAddress) peer).getAddress().getHostAddress(), duration / 1_000_000,
          penalties.sum(), total, since);
    } else {
      log.warn("{} connections from penalised addresses refused at accept so far ({} since the"
          + " last report)", total, since);
    }
  }

  /** IPv4: the address; IPv6: its /64 prefix; null for anything else. */
  private static Object keyOf(SocketAddress peer) {
    if (!(peer instanceof InetSocketAddress isa) || isa.getAddress() == null) {
      return null;
    }
    InetAddress a = isa.getAddress();
    byte[] b = a.getAddress();
    if (a instanceof Inet4Address) {
      return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
    }
    long prefix = 0;
    for (int i = 0; i < 8; i++) {
      prefix = prefix << 8 | (b[i] & 0xff);
    }
    return prefix;
  }

  /** Refused until {@code until}; remembered for a doubling until one more penalty later. */
  private record Entry(long until, long duration) {
    long forgetAt() {
      return until + duration;
    }
  }
}
