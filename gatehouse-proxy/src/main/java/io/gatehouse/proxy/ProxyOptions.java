package io.gatehouse.proxy;

import static java.util.Objects.requireNonNull;

import io.gatehouse.model.ConnectionLimits;
import io.gatehouse.model.EdgeTimeouts;
import io.gatehouse.model.HeaderPolicy;
import io.gatehouse.model.Http1Policy;
import io.gatehouse.model.OverloadGuard;
import io.gatehouse.model.PathPolicy;
import io.gatehouse.proxy.http.Http2Limits;
import io.gatehouse.proxy.http.PeerPenalty;
import io.gatehouse.proxy.tls.ServerTlsOptions;
import io.gatehouse.proxy.udp.UdpLimits;
import java.time.Duration;

/**
 * Process-level settings of the data plane. The edge settings (everything after {@code http2})
 * default to the safe values of {@code docs/security.md}.
 *
 * @param portOffset added to every listener port when binding (e.g. 10000 maps port 80 to 10080),
 * so a non-root user can run Gateways that name privileged ports; 0 binds the ports as written
 * @param workerThreads event-loop threads; 0 means one per available processor
 * @param connectTimeout upstream TCP connect timeout
 * @param drainTimeout how long a removed listener's open connections may finish their requests
 * @param http2 the limits of HTTP/2 client connections (cleartext prior knowledge on HTTP
 * listeners)
 * @param http1 how strictly HTTP/1.1 requests are framed
 * @param path how request paths are canonicalised before routing (SECURITY.md C)
 * @param headers request header limits, underscores and client identity (SECURITY.md B)
 * @param timeouts request-headers, idle, stream-idle and upstream read-idle timeouts
 * @param connections connection limits (per listener, per process) and write buffer limits
 * @param overload memory thresholds at which the proxy sheds load
 * @param udp UDP session idle timeout and per-listener session limit
 * @param tls TLS termination settings of HTTPS listeners (session resumption)
 * @param penalty how long a client address that provoked GOAWAY(ENHANCE_YOUR_CALM) is refused new
 * connections (SECURITY.md E2)
 */
public record ProxyOptions(int portOffset, int workerThreads, Duration connectTimeout,
    Duration drainTimeout, Http2Limits http2, Http1Policy http1, PathPolicy path,
    HeaderPolicy headers, EdgeTimeouts timeouts, ConnectionLimits connections,
    OverloadGuard overload, UdpLimits udp, ServerTlsOptions tls,
    PeerPenalty penalty) {
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
    requireNonNull(path, "path");
    requireNonNull(headers, "headers");
    requireNonNull(timeouts, "timeouts");
    requireNonNull(connections, "connections");
    requireNonNull(overload, "overload");
    requireNonNull(udp, "udp");
    requireNonNull(tls, "tls");
    requireNonNull(penalty, "penalty");
  }

  /** With the default UDP limits, TLS settings and {@link PeerPenalty}. */
  public ProxyOptions(int portOffset, int workerThreads, Duration connectTimeout,
      Duration drainTimeout, Http2Limits http2, Http1Policy http1, PathPolicy path,
      HeaderPolicy headers, EdgeTimeouts timeouts, ConnectionLimits connections,
      OverloadGuard overload) {
    this(portOffset, workerThreads, connectTimeout, drainTimeout, http2, http1, path, headers,
        timeouts, connections, overload, UdpLimits.defaults(), ServerTlsOptions.defaults(),
        PeerPenalty.defaults());
  }

  /** With the default edge settings. */
  public ProxyOptions(int portOffset, int workerThreads, Duration connectTimeout,
      Duration drainTimeout, Http2Limits http2) {
    this(portOffset, workerThreads, connectTimeout, drainTimeout, http2, Http1Policy.defaults(),
        PathPolicy.DEFAULT, HeaderPolicy.DEFAULT, EdgeTimeouts.defaults(),
        ConnectionLimits.defaults(), OverloadGuard.defaults());
  }

  /** With the default HTTP/2 limits and edge settings. */
  public ProxyOptions(int portOffset, int workerThreads, Duration connectTimeout,
      Duration drainTimeout) {
    this(portOffset, workerThreads, connectTimeout, drainTimeout, Http2Limits.defaults());
  }

  /**
   * Port offset 0, one thread per core, 5 s connect timeout, 30 s drain, default HTTP/2 limits and
   * edge settings.
   */
  public static ProxyOptions defaults() {
    return new ProxyOptions(0, 0, Duration.ofSeconds(5), Duration.ofSeconds(30));
  }

  public ProxyOptions withPortOffset(int offset) {
    return new ProxyOptions(offset, workerThreads, connectTimeout, drainTimeout, http2, http1, path,
        headers, timeouts, connections, overload, udp, tls, penalty);
  }

  public ProxyOptions withWorkerThreads(int threads) {
    return new ProxyOptions(portOffset, threads, connectTimeout, drainTimeout, http2, http1, path,
        headers, timeouts, connections, overload, udp, tls, penalty);
  }

  public ProxyOptions withHttp1(Http1Policy policy) {
    return new ProxyOptions(portOffset, workerThreads, connectTimeout, drainTimeout, http2, policy,
        path, headers, timeouts, connections, overload, udp, tls, penalty);
  }

  public ProxyOptions withPath(PathPolicy policy) {
    return new ProxyOptions(portOffset, workerThreads, connectTimeout, drainTimeout, http2, http1,
        policy, headers, timeouts, connections, overload, udp, tls, penalty);
  }

  public ProxyOptions withHeaders(HeaderPolicy policy) {
    return new ProxyOptions(portOffset, workerThreads, connectTimeout, drainTimeout, http2, http1,
        path, policy, timeouts, connections, overload, udp, tls, penalty);
  }

  public ProxyOptions withTimeouts(EdgeTimeouts t) {
    return new ProxyOptions(portOffset, workerThreads, connectTimeout, drainTimeout, http2, http1,
        path, headers, t, connections, overload, udp, tls, penalty);
  }

  public ProxyOptions withConnections(ConnectionLimits c) {
    return new ProxyOptions(portOffset, workerThreads, connectTimeout, drainTimeout, http2, http1,
        path, headers, timeouts, c, overload, udp, tls, penalty);
  }

  public ProxyOptions withOverload(OverloadGuard o) {
    return new ProxyOptions(portOffset, workerThreads, connectTimeout, drainTimeout, http2, http1,
        path, headers, timeouts, connections, o, udp, tls, penalty);
  }

  public ProxyOptions withUdp(UdpLimits limits) {
    return new ProxyOptions(portOffset, workerThreads, connectTimeout, drainTimeout, http2, http1,
        path, headers, timeouts, connections, overload, limits, tls, penalty);
  }

  public ProxyOptions withTls(ServerTlsOptions t) {
    return new ProxyOptions(portOffset, workerThreads, connectTimeout, drainTimeout, http2, http1,
        path, headers, timeouts, connections, overload, udp, t, penalty);
  }

  public ProxyOptions withPenalty(PeerPenalty p) {
    return new ProxyOptions(portOffset, workerThreads, connectTimeout, drainTimeout, http2, http1,
        path, headers, timeouts, connections, overload, udp, tls, p);
  }
}
