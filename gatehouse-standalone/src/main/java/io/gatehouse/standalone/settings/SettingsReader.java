package io.gatehouse.standalone.settings;

import io.gatehouse.model.ClientIdentity;
import io.gatehouse.model.ConnectionLimits;
import io.gatehouse.model.EdgeTimeouts;
import io.gatehouse.model.HeaderPolicy;
import io.gatehouse.model.Http1Policy;
import io.gatehouse.model.OverloadGuard;
import io.gatehouse.model.PathPolicy;
import io.gatehouse.proxy.ProxyOptions;
import io.gatehouse.proxy.http.Http2Limits;
import io.gatehouse.proxy.http.PeerPenalty;
import io.gatehouse.proxy.udp.UdpLimits;
import io.gatehouse.proxy.tls.ServerTlsOptions;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Reads the sections of a settings file into {@link ProxyOptions}, over
 * {@link ProxyOptions#defaults()}. The field names, their order and their ranges are the settings
 * file's reference ({@code docs/configuration.md}, "Settings file"); {@link SettingsWriter} writes
 * the same names in the same order.
 */
final class SettingsReader {
  private static final int MAX = Integer.MAX_VALUE;

  private SettingsReader() {
  }

  static ProxyOptions read(SettingsSection root) {
    ProxyOptions d = ProxyOptions.defaults();
    SettingsSection proxy = root.section("proxy");
    int portOffset = proxy.integer("portOffset", d.portOffset(), 0, 65534);
    int workers = proxy.integer("workers", d.workerThreads(), 0, 4096);
    Duration connect = proxy.duration("connectTimeout", d.connectTimeout(), false);
    Duration drain = proxy.duration("drainTimeout", d.drainTimeout(), true);
    proxy.finish();
    Http1Policy http1 = http1(root.section("http1"), d.http1());
    Http2Limits http2 = http2(root.section("http2"), d.http2());
    ProxyOptions options = new ProxyOptions(portOffset, workers, connect, drain, http2)
        .withHttp1(http1)
        .withPath(paths(root.section("paths"), d.path()))
        .withHeaders(headers(root.section("headers"), d.headers()))
        .withTimeouts(timeouts(root.section("timeouts"), d.timeouts()))
        .withConnections(connections(root.section("connections"), d.connections()))
        .withOverload(overload(root.section("overload"), d.overload()))
        .withPenalty(penalty(root.section("penalty"), d.penalty()))
        .withUdp(udp(root.section("udp"), d.udp()))
        .withTls(tls(root.section("tls"), d.tls()));
    root.finish();
    return options;
  }

  private static Http1Policy http1(SettingsSection s, Http1Policy d) {
    Http1Policy p = new Http1Policy(
        s.size("maxRequestTarget", d.maxRequestTarget(), Http1Policy.MIN_REQUEST_TARGET, 65_536),
        s.size("maxChunkLine", d.maxChunkLine(), 16, 65_536),
        s.bool("absoluteForm", d.absoluteForm()));
    s.finish();
    return p;
  }

  private static Http2Limits http2(SettingsSection s, Http2Limits d) {
    Http2Limits limits = build(s, () -> new Http2Limits(
        s.integer("maxConcurrentStreams", d.maxConcurrentStreams(), 1, MAX),
        s.size("initialStreamWindow", d.initialStreamWindow(), 1, MAX),
        s.size("connectionWindow", d.connectionWindow(), 65_535, MAX),
        s.size("maxHeaderListSize", d.maxHeaderListSize(), 1, MAX),
        s.integer("maxQueuedControlFrames", d.maxQueuedControlFrames(), 1, MAX),
        s.integer("maxConsecutiveEmptyDataFrames", d.maxConsecutiveEmptyDataFrames(), 1, MAX),
        s.integer("maxResetsPerWindow", d.maxResetsPerWindow(), 1, MAX),
        wholeSeconds(s, "resetWindow", Duration.ofSeconds(d.resetWindowSeconds())),
        s.integer("maxSmallContinuationFrames", d.maxSmallContinuationFrames(), 1, MAX),
        s.integer("maxPriorityFramesPerStream", d.maxPriorityFramesPerStream(), 1, MAX),
        s.integer("maxWindowUpdatesPerDataFrame", d.maxWindowUpdatesPerDataFrame(), 1, MAX),
        s.integer("prematureResetMinStreams", d.prematureResetMinStreams(), 1, MAX),
        wholeMillis(s, "prematureResetLifetime",
            Duration.ofMillis(d.prematureResetLifetimeMillis()))));
    s.finish();
    return limits;
  }

  private static PathPolicy paths(SettingsSection s, PathPolicy d) {
    PathPolicy p = new PathPolicy(s.bool("mergeSlashes", d.mergeSlashes()),
        s.choice("escapedSlashes", d.escapedSlashes(), PathPolicy.EscapedSlashes.class),
        s.bool("allowSemicolons", d.allowSemicolons()));
    s.finish();
    return p;
  }

  private static HeaderPolicy headers(SettingsSection s, HeaderPolicy d) {
    var underscores = s.choice("underscores", d.underscores(), HeaderPolicy.UnderscoreAction.class);
    int maxCount = s.integer("maxCount", d.maxCount(), 1, MAX);
    int maxBytes = s.size("maxBytes", d.maxBytes(), 1024, MAX);
    int trustedHops = s.integer("trustedHops", d.identity().trustedHops(), 0, 16);
    var forwardedFor = s.choice("forwardedFor", d.identity().forwardedFor(),
        ClientIdentity.ForwardedFor.class);
    s.finish();
    return new HeaderPolicy(underscores, new ClientIdentity(trustedHops, forwardedFor), maxCount,
        maxBytes);
  }

  private static EdgeTimeouts timeouts(SettingsSection s, EdgeTimeouts d) {
    EdgeTimeouts t = new EdgeTimeouts(s.duration("requestHeaders", d.requestHeaders(), false),
        s.duration("idle", d.idle(), false),
        s.duration("streamIdle", d.streamIdle(), false),
        s.duration("upstreamReadIdle", d.upstreamReadIdle(), false));
    s.finish();
    return t;
  }

  private static ConnectionLimits connections(SettingsSection s, ConnectionLimits d) {
    int perListener = s.integer("perListener", d.perListener(), 1, MAX);
    int processWide = s.integer("processWide", d.processWide(), 1, MAX);
    int high = s.size("writeBufferHigh", d.writeBufferHigh(), 1, MAX);
    int low = s.size("writeBufferLow", d.writeBufferLow(), 1, MAX);
    s.finish();
    if (low > high) {
      throw s.invalid("writeBufferLow (" + Quantities.format(low)
          + ") must not be more than writeBufferHigh (" + Quantities.format(high) + ")");
    }
    return new ConnectionLimits(perListener, processWide, high, low);
  }

  private static OverloadGuard overload(SettingsSection s, OverloadGuard d) {
    double shrinkAt = s.fraction("shrinkAt", d.shrinkAt(), 0, 1);
    double stopAt = s.fraction("stopAt", d.stopAt(), 0, 1);
    Duration interval = s.duration("interval", d.interval(), false);
    s.finish();
    if (shrinkAt > stopAt) {
      throw s.invalid("shrinkAt (" + shrinkAt + ") must not be more than stopAt (" + stopAt
          + ")");
    }
    return new OverloadGuard(shrinkAt, stopAt, interval);
  }

  private static PeerPenalty penalty(SettingsSection s, PeerPenalty d) {
    boolean enabled = s.bool("enabled", d.enabled());
    Duration initial = s.duration("initial", d.initial(), false);
    Duration max = s.duration("max", d.max(), false);
    int maxAddresses = s.integer("maxAddresses", d.maxAddresses(), 1, MAX);
    s.finish();
    if (max.compareTo(initial) < 0) {
      throw s.invalid("max (" + Durations.format(max) + ") must not be less than initial ("
          + Durations.format(initial) + ")");
    }
    return new PeerPenalty(enabled, initial, max, maxAddresses);
  }

  private static UdpLimits udp(SettingsSection s, UdpLimits d) {
    UdpLimits limits = new UdpLimits(s.duration("sessionIdle", d.sessionIdle(), false),
        s.integer("maxSessions", d.maxSessions(), 1, MAX));
    s.finish();
    return limits;
  }

  private static ServerTlsOptions tls(SettingsSection s, ServerTlsOptions d) {
    ServerTlsOptions t = new ServerTlsOptions(s.bool("sessionResumption", d.sessionResumption()));
    s.finish();
    return t;
  }

  private static int wholeSeconds(SettingsSection s, String name, Duration fallback) {
    Duration d = s.duration(name, fallback, false);
    if (d.toNanos() % 1_000_000_000L != 0 || d.getSeconds() > MAX) {
      throw s.invalid(name, "must be whole seconds (e.g. 30s), not " + Durations.format(d));
    }
    return (int) d.getSeconds();
  }

  private static int wholeMillis(SettingsSection s, String name, Duration fallback) {
    Duration d = s.duration(name, fallback, false);
    if (d.toNanos() % 1_000_000L != 0 || d.toMillis() > MAX) {
      throw s.invalid(name, "must be whole milliseconds (e.g. 1s, 500ms), not "
          + Durations.format(d));
    }
    return (int) d.toMillis();
  }

  /**
   * Builds a record, turning a rule of its constructor that the field ranges above do not cover
   * into an error about the section.
   */
  private static <T> T build(SettingsSection s, Supplier<T> constructor) {
    try {
      return constructor.get();
    } catch (IllegalArgumentException e) {
      throw s.invalid(e.getMessage());
    }
  }
}
