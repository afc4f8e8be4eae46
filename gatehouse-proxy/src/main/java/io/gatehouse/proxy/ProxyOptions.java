package io.gatehouse.proxy;

import static java.util.Objects.requireNonNull;

import io.gatehouse.model.Http1Policy;
import io.gatehouse.proxy.http.Http2Limits;
import java.time.Duration;

/**
 * Process-level settings of the data plane.
 *
 * @param portOffset added to every listener port when binding (e.g. 10000 maps port 80 to 10080),
 * so a non-root user can run Gateways that name privileged ports; 0 binds the ports as written
 * @param workerThreads event-loop threads; 0 means one per available processor
 * @param connectTimeout upstream TCP connect timeout
 * @param drainTimeout how long a removed listener's open connections may finish their requests
 * @param http2 the limits of HTTP/2 client connections (cleartext prior knowledge on HTTP
 * listeners)
 * @param http1 how strictly HTTP/1.1 requests are framed (see {@code docs/security.md})
 */
public record ProxyOptions(int portOffset, int workerThreads, Duration connectTimeout,
    Duration drainTimeout, Http2Limits http2, Http1Policy http1) {
  public ProxyOptions {
    if (portOffset < 0 || portOffset > 65534) {
      throw new IllegalArgumentException("portOffset out of range: " + portOffset);
    }
    if (workerThreads < 0) {
      throw new IllegalArgumentException("workerThreads < 0");
    }
    requireNonNull(connectTimeout, "connectTimeout");
    requireNonNull(drainTimeout, "drainTimeout");
    requireNonNull(http2, "http2");
    requireNonNull(http1, "http1");
  }

  /** With the default {@link Http1Policy}. */
  public ProxyOptions(int portOffset, int workerThreads, Duration connectTimeout,
      Duration drainTimeout, Http2Limits http2) {
    this(portOffset, workerThreads, connectTimeout, drainTimeout, http2, Http1Policy.defaults());
  }

  /** With the default {@link Http2Limits}. */
  public ProxyOptions(int portOffset, int workerThreads, Duration connectTimeout,
      Duration drainTimeout) {
    this(portOffset, workerThreads, connectTimeout, drainTimeout, Http2Limits.defaults());
  }

  /**
   * Port offset 0, one thread per core, 5 s connect timeout, 30 s drain, default HTTP/2 limits and
   * HTTP/1.1 policy.
   */
  public static ProxyOptions defaults() {
    return new ProxyOptions(0, 0, Duration.ofSeconds(5), Duration.ofSeconds(30));
  }

  public ProxyOptions withPortOffset(int offset) {
    return new ProxyOptions(offset, workerThreads, connectTimeout, drainTimeout, http2, http1);
  }
}
