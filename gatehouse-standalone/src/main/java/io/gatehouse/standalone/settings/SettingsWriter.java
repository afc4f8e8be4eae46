package io.gatehouse.standalone.settings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.model.ConnectionLimits;
import io.gatehouse.model.EdgeTimeouts;
import io.gatehouse.model.HeaderPolicy;
import io.gatehouse.model.Http1Policy;
import io.gatehouse.model.OverloadGuard;
import io.gatehouse.model.PathPolicy;
import io.gatehouse.proxy.ProxyOptions;
import io.gatehouse.proxy.http.Http2Limits;
import io.gatehouse.proxy.http.PeerPenalty;
import io.gatehouse.proxy.tls.ServerTlsOptions;
import java.time.Duration;

/**
 * Writes {@link ProxyOptions} as the tree of a settings file, every field present, with the names
 * and in the order {@link SettingsReader} reads them: durations as {@link Durations} text, sizes as
 * {@link Quantities} text, choices as their constant names.
 */
final class SettingsWriter {
  private SettingsWriter() {
  }

  static ObjectNode write(ProxyOptions o) {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    ObjectNode n = root.putObject("proxy");
    n.put("portOffset", o.portOffset());
    n.put("workers", o.workerThreads());
    n.put("connectTimeout", duration(o.connectTimeout()));
    n.put("drainTimeout", duration(o.drainTimeout()));
    http1(root.putObject("http1"), o.http1());
    http2(root.putObject("http2"), o.http2());
    paths(root.putObject("paths"), o.path());
    headers(root.putObject("headers"), o.headers());
    timeouts(root.putObject("timeouts"), o.timeouts());
    connections(root.putObject("connections"), o.connections());
    overload(root.putObject("overload"), o.overload());
    penalty(root.putObject("penalty"), o.penalty());
    ObjectNode udp = root.putObject("udp");
    udp.put("sessionIdle", duration(o.udp().sessionIdle()));
    udp.put("maxSessions", o.udp().maxSessions());
    tls(root.putObject("tls"), o.tls());
    return root;
  }

  private static void http1(ObjectNode n, Http1Policy p) {
    n.set("maxRequestTarget", size(p.maxRequestTarget()));
    n.set("maxChunkLine", size(p.maxChunkLine()));
    n.put("absoluteForm", p.absoluteForm());
  }

  private static void http2(ObjectNode n, Http2Limits l) {
    n.put("maxConcurrentStreams", l.maxConcurrentStreams());
    n.set("initialStreamWindow", size(l.initialStreamWindow()));
    n.set("connectionWindow", size(l.connectionWindow()));
    n.set("maxHeaderListSize", size(l.maxHeaderListSize()));
    n.put("maxQueuedControlFrames", l.maxQueuedControlFrames());
    n.put("maxConsecutiveEmptyDataFrames", l.maxConsecutiveEmptyDataFrames());
    n.put("maxResetsPerWindow", l.maxResetsPerWindow());
    n.put("resetWindow", duration(Duration.ofSeconds(l.resetWindowSeconds())));
    n.put("maxSmallContinuationFrames", l.maxSmallContinuationFrames());
    n.put("maxPriorityFramesPerStream", l.maxPriorityFramesPerStream());
    n.put("maxWindowUpdatesPerDataFrame", l.maxWindowUpdatesPerDataFrame());
    n.put("prematureResetMinStreams", l.prematureResetMinStreams());
    n.put("prematureResetLifetime",
        duration(Duration.ofMillis(l.prematureResetLifetimeMillis())));
  }

  private static void paths(ObjectNode n, PathPolicy p) {
    n.put("mergeSlashes", p.mergeSlashes());
    n.put("escapedSlashes", p.escapedSlashes().name());
    n.put("allowSemicolons", p.allowSemicolons());
  }

  private static void headers(ObjectNode n, HeaderPolicy p) {
    n.put("underscores", p.underscores().name());
    n.put("maxCount", p.maxCount());
    n.set("maxBytes", size(p.maxBytes()));
    n.put("trustedHops", p.identity().trustedHops());
    n.put("forwardedFor", p.identity().forwardedFor().name());
  }

  private static void timeouts(ObjectNode n, EdgeTimeouts t) {
    n.put("requestHeaders", duration(t.requestHeaders()));
    n.put("idle", duration(t.idle()));
    n.put("streamIdle", duration(t.streamIdle()));
    n.put("upstreamReadIdle", duration(t.upstreamReadIdle()));
  }

  private static void connections(ObjectNode n, ConnectionLimits c) {
    n.put("perListener", c.perListener());
    n.put("processWide", c.processWide());
    n.set("writeBufferHigh", size(c.writeBufferHigh()));
    n.set("writeBufferLow", size(c.writeBufferLow()));
  }

  private static void overload(ObjectNode n, OverloadGuard g) {
    n.put("shrinkAt", g.shrinkAt());
    n.put("stopAt", g.stopAt());
    n.put("interval", duration(g.interval()));
  }

  private static void penalty(ObjectNode n, PeerPenalty p) {
    n.put("enabled", p.enabled());
    n.put("initial", duration(p.initial()));
    n.put("max", duration(p.max()));
    n.put("maxAddresses", p.maxAddresses());
  }

  private static void tls(ObjectNode n, ServerTlsOptions t) {
    n.put("sessionResumption", t.sessionResumption());
  }

  private static String duration(Duration d) {
    return Durations.format(d);
  }

  /** A quantity such as {@code 64Ki} when a binary unit divides it, else a plain number. */
  private static JsonNode size(long bytes) {
    String quantity = Quantities.format(bytes);
    return quantity.equals(Long.toString(bytes))
        ? JsonNodeFactory.instance.numberNode(bytes)
        : JsonNodeFactory.instance.textNode(quantity);
  }
}
