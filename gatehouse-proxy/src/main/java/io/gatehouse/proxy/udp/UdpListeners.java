package io.gatehouse.proxy.udp;

import io.gatehouse.model.Cluster;
import io.gatehouse.model.Endpoint;
import io.gatehouse.model.UdpListener;
import io.gatehouse.model.WeightedCluster;
import io.gatehouse.proxy.BindFailure;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.DatagramChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The UDP listeners of the proxy, keyed by bound address and port (a space of its own: a UDP and a
 * TCP listener may share a port). {@link #apply} binds new ones, swaps the backends of kept ones
 * (their sessions survive when their endpoint still takes traffic) and closes removed ones with all
 * their sessions. Endpoint hostnames are resolved once per apply, on the calling thread. Not
 * thread-safe: the proxy calls it under its own lock.
 */
public final class UdpListeners implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(UdpListeners.class);
  private static final long BIND_TIMEOUT_SECONDS = 10;

  private final EventLoopGroup group;
  private final Class<? extends DatagramChannel> type;
  private final UdpLimits limits;
  private final Map<InetSocketAddress, UdpRelay> relays = new HashMap<>();

  /**
   * One UDP listener to serve.
   *
   * @param address where to bind (port offset applied)
   * @param clusters the clusters of its Gateway, by name
   */
  public record Wanted(UdpListener listener, InetSocketAddress address,
      Map<String, Cluster> clusters) {
  }

  public UdpListeners(EventLoopGroup group, Class<? extends DatagramChannel> type,
      UdpLimits limits) {
    this.group = group;
    this.type = type;
    this.limits = limits;
  }

  /** Serves exactly {@code wanted}; returns the listeners that could not be bound. */
  public List<BindFailure> apply(List<Wanted> wanted) {
    List<BindFailure> failures = new ArrayList<>();
    Map<InetSocketAddress, Wanted> byAddress = new LinkedHashMap<>();
    for (Wanted w : wanted) {
      Wanted previous = byAddress.putIfAbsent(w.address(), w);
      if (previous != null) {
        failures.add(new BindFailure(w.listener().name(), where(w.address()),
            "Address already used by listener " + previous.listener().name() + "."));
      }
    }
    relays.entrySet().removeIf(e -> {
      if (byAddress.containsKey(e.getKey())) {
        return false;
      }
      e.getValue().close();
      log.debug("UDP listener {} removed", e.getValue());
      return true;
    });
    Map<UdpRelay, ChannelFuture> binding = new LinkedHashMap<>();
    byAddress.forEach((address, w) -> {
      UdpTarget target = target(w.listener(), w.clusters());
      UdpRelay existing = relays.get(address);
      if (existing != null) {
        existing.swap(w.listener().name(), target);
      } else {
        UdpRelay relay = new UdpRelay(w.listener().name(), address, target, limits, type);
        binding.put(relay, relay.bind(group));
      }
    });
    binding.forEach((relay, f) -> awaitBind(relay, f, failures));
    return failures;
  }

  /**
   * Per listener name: open sessions and datagrams dropped because of the session limit
   * ({@code overLimit}) or because no backend could take the new flow ({@code noBackend}).
   */
  public Map<String, Map<String, Long>> counters() {
    Map<String, Map<String, Long>> out = new java.util.TreeMap<>();
    for (UdpRelay r : relays.values()) {
      out.put(r.name(), Map.of("sessions", (long) r.sessions(), "overLimit",
          r.droppedOverLimit(), "noBackend", r.droppedNoBackend()));
    }
    return out;
  }

  @Override
  public void close() {
    relays.values().forEach(UdpRelay::close);
    relays.clear();
  }

  private static UdpTarget target(UdpListener l, Map<String, Cluster> clusters) {
    List<UdpTarget.Backend> backends = new ArrayList<>();
    for (WeightedCluster wc : l.backends()) {
      Cluster c = clusters.get(wc.cluster());
      List<InetSocketAddress> endpoints = new ArrayList<>();
      if (c != null) {
        for (Endpoint e : c.endpoints()) {
          InetSocketAddress a = resolve(e);
          for (int i = 0; a != null && i < e.weight(); i++) {
            endpoints.add(a);
          }
        }
      }
      backends.add(new UdpTarget.Backend(wc.weight(), endpoints));
    }
    return new UdpTarget(backends, l.invalidWeight());
  }

  private static @Nullable InetSocketAddress resolve(Endpoint e) {
    try {
      return new InetSocketAddress(InetAddress.getByName(e.address()), e.port());
    } catch (UnknownHostException ex) {
      log.warn("UDP endpoint {} cannot be resolved; it takes no sessions", e.address());
      return null;
    }
  }

  private void awaitBind(UdpRelay relay, ChannelFuture f, List<BindFailure> failures) {
    String where = where(relay.address());
    if (!f.awaitUninterruptibly(BIND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      f.channel().close();
      failures.add(new BindFailure(relay.name(), where, "Bind timed out."));
    } else if (!f.isSuccess()) {
      String message = f.cause() == null ? "Bind failed." : String.valueOf(f.cause().getMessage());
      log.warn("UDP listener {} could not bind {}: {}", relay.name(), where, message);
      failures.add(new BindFailure(relay.name(), where, message));
    } else {
      relays.put(relay.address(), relay);
      log.debug("UDP listener {} bound", relay);
    }
  }

  private static String where(InetSocketAddress a) {
    return "udp:" + a.getAddress().getHostAddress() + ":" + a.getPort();
  }
}
