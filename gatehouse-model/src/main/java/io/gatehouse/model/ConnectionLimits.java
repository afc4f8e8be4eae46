package io.gatehouse.model;

/**
 * Connection and buffer limits of the proxy's client and upstream connections.
 *
 * @param perListener open client connections one listener accepts; a connection beyond it is closed
 * as soon as it is accepted (Envoy's listener {@code connection_limit})
 * @param processWide open client connections of all listeners together; beyond it new connections
 * are closed the same way (Envoy's {@code global_downstream_max_connections})
 * @param writeBufferHigh bytes queued for writing on one connection (client or upstream) above
 * which it reports itself unwritable, so the other side stops reading (Envoy's
 * {@code per_connection_buffer_limit_bytes})
 * @param writeBufferLow bytes below which an unwritable connection becomes writable again
 */
public record ConnectionLimits(int perListener, int processWide, int writeBufferHigh,
    int writeBufferLow) {
  public ConnectionLimits {
    if (perListener <= 0 || processWide <= 0) {
      throw new IllegalArgumentException("connection limits must be positive");
    }
    if (writeBufferLow <= 0 || writeBufferHigh < writeBufferLow) {
      throw new IllegalArgumentException("need 0 < writeBufferLow <= writeBufferHigh");
    }
  }

  /** 10,000 per listener, 50,000 per process, write buffers 32 KiB high, 16 KiB low. */
  public static ConnectionLimits defaults() {
    return new ConnectionLimits(10_000, 50_000, 32 << 10, 16 << 10);
  }
}
