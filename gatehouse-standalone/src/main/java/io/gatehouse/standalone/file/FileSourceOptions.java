package io.gatehouse.standalone.file;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;

/**
 * Settings of the {@link FileSource}.
 *
 * @param debounce how long the directory must be quiet after a change before it is re-loaded; a
 * burst of writes closer together than this gives one load
 * @param rescanInterval how often the directory is also compared by modification time and size, in
 * case the file system does not deliver watch events (network and some container file systems)
 * @param firstAddress first address of the pool Gateways get their address from
 * @param lastAddress last address of that pool, inclusive
 * @param clock the source of {@code creationTimestamp}s
 */
public record FileSourceOptions(Duration debounce, Duration rescanInterval, String firstAddress,
    String lastAddress, Clock clock) {
  public FileSourceOptions {
    requireNonNull(debounce, "debounce");
    requireNonNull(rescanInterval, "rescanInterval");
    requireNonNull(firstAddress, "firstAddress");
    requireNonNull(lastAddress, "lastAddress");
    requireNonNull(clock, "clock");
    if (debounce.isNegative() || rescanInterval.isNegative() || rescanInterval.isZero()) {
      throw new IllegalArgumentException("debounce must be >= 0 and rescanInterval > 0");
    }
  }

  /** 200 ms debounce, 2 s rescan, addresses 127.0.0.2 to 127.0.0.254, the system clock. */
  public static FileSourceOptions defaults() {
    return new FileSourceOptions(Duration.ofMillis(200), Duration.ofSeconds(2), "127.0.0.2",
        "127.0.0.254", Clock.systemUTC());
  }

  public FileSourceOptions withDebounce(Duration d) {
    return new FileSourceOptions(d, rescanInterval, firstAddress, lastAddress, clock);
  }

  public FileSourceOptions withRescanInterval(Duration d) {
    return new FileSourceOptions(debounce, d, firstAddress, lastAddress, clock);
  }

  public FileSourceOptions withAddressPool(String first, String last) {
    return new FileSourceOptions(debounce, rescanInterval, first, last, clock);
  }

  public FileSourceOptions withClock(Clock c) {
    return new FileSourceOptions(debounce, rescanInterval, firstAddress, lastAddress, c);
  }
}
