package io.gatehouse.proxy;

import io.gatehouse.model.GatewayConfig;
import java.util.List;

/**
 * The data plane's entry point: serves every listener of the {@link GatewayConfig}s last applied.
 *
 * <p>
 * Thread-safe. {@link #apply} may be called from any thread, one call at a time; each call replaces
 * the whole set of Gateways (listeners no longer present drain and close, new ones bind, existing
 * ones swap their route table atomically: requests in flight finish on the table they started with
 * and open connections stay open).
 */
public final class GatewayProxy implements AutoCloseable {
  private GatewayProxy() {
  }

  /** Starts the event loops; no listener is bound until the first {@link #apply}. */
  public static GatewayProxy start(ProxyOptions options) {
    throw new UnsupportedOperationException("not yet " + options);
  }

  /**
   * Applies a complete configuration and waits until every listener is bound or has failed.
   *
   * @param version a number that grows with every call, reported back by {@link #appliedVersion}
   * @return one entry per listener that could not be bound (empty when all are serving)
   */
  public List<BindFailure> apply(long version, List<GatewayConfig> gateways) {
    throw new UnsupportedOperationException("not yet " + version + gateways);
  }

  /** The version of the last completed {@link #apply}, or -1 before the first. */
  public long appliedVersion() {
    return -1;
  }

  /** Stops accepting, lets requests in flight finish up to the drain timeout, then stops. */
  @Override
  public void close() {
  }
}
