package io.gatehouse.translator;

import io.gatehouse.model.ClientValidation;
import io.gatehouse.model.HttpsListener;
import io.gatehouse.model.ServerCertificate;
import io.gatehouse.translator.gateway.TlsCertificate;
import io.gatehouse.model.Action;
import io.gatehouse.model.Cluster;
import io.gatehouse.model.Filter;
import io.gatehouse.model.GatewayConfig;
import io.gatehouse.model.HttpListener;
import io.gatehouse.model.Listener;
import io.gatehouse.model.Route;
import io.gatehouse.model.VirtualHost;
import io.gatehouse.model.WeightedCluster;
import io.gatehouse.translator.gateway.ValidatedGateway;
import io.gatehouse.translator.gateway.ValidatedListener;
import io.gatehouse.translator.route.Attachment;
import io.gatehouse.translator.route.L4Attachment;
import io.gatehouse.translator.route.Hostnames;
import io.gatehouse.translator.route.Precedence;
import io.gatehouse.translator.route.RankedRoute;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Builds one Gateway's {@link GatewayConfig}: one {@link HttpListener} or {@link HttpsListener} per
 * port and bound address (listeners of different protocols never share a port: that is a
 * ProtocolConflict), with virtual hosts that give listener isolation under the proxy's host
 * selection (exact, then longest wildcard suffix, then {@code *}).
 *
 * <p>
 * Every listener hostname and every attached route hostname becomes a candidate virtual host name.
 * A candidate belongs to the most specific listener that covers it (the listener a request for that
 * host would select), and gets exactly the routes attached to that listener whose hostnames cover
 * it. Because the proxy picks the most specific candidate, a request never sees the routes of a
 * less specific listener. Candidates with the same routes are merged into one virtual host.
 */
final class ConfigAssembler {
  private ConfigAssembler() {
  }

  static GatewayConfig assemble(ValidatedGateway gateway, List<Attachment> attachments,
      Map<String, Cluster> clusters) {
    return assemble(gateway, attachments, List.of(), clusters);
  }

  /** As above, with the TCPRoutes and TLSRoutes attached to the Gateway's TCP and TLS ports. */
  static GatewayConfig assemble(ValidatedGateway gateway, List<Attachment> attachments,
      List<L4Attachment> l4, Map<String, Cluster> clusters) {
    Map<Integer, List<ValidatedListener>> byPort = new TreeMap<>();
    List<Listener> listeners = new ArrayList<>();
    Map<String, Cluster> used = new TreeMap<>();
    List<ValidatedListener> udp = new ArrayList<>();
    for (ValidatedListener l : gateway.listeners()) {
      if (l.servable() && UdpAssembler.isUdp(l)) {
        udp.add(l);
      } else if (l.servable()) {
        byPort.computeIfAbsent(l.port(), p -> new ArrayList<>()).add(l);
      }
    }
    byPort.forEach((port, ls) -> {
      if (Set.of("TCP", "TLS").contains(ls.get(0).protocol())) {
        List<String> addresses = gateway.addresses().bound();
        for (String address : addresses) {
          listeners.add(L4Assembler.assemble(listenerName(gateway, addresses, address, port),
              address, port, ls, l4, clusters, used));
        }
        return;
      }
      List<VirtualHost> vhosts = virtualHosts(ls, attachments);
      // Gateway API (GatewaySpec.addresses): every listener is bound on every assigned address.
      List<String> addresses = gateway.addresses().bound();
      for (String address : addresses) {
        String name = addresses.size() == 1
            ? gateway.ref() + "/" + port
            : gateway.ref() + "/" + address + "/" + port;
        listeners.add(ls.get(0).protocol().equals("HTTPS")
            ? new HttpsListener(name, address, port, vhosts, certificates(ls),
                clientValidation(ls))
            : new HttpListener(name, address, port, vhosts));
      }
      vhosts.forEach(v -> v.routes().forEach(r -> addClusters(r, clusters, used)));
    });
    // UDP listeners after the TCP ones, by port (a UDP port never conflicts with a TCP one).
    udp.sort(Comparator.comparingInt(ValidatedListener::port));
    for (ValidatedListener l : udp) {
      gateway.addresses().bound().forEach(address -> listeners.add(UdpAssembler.listener(gateway,
          l, address, attachments, clusters, used)));
    }
    long generation = gateway.generation() == null ? 0 : gateway.generation();
    return new GatewayConfig(gateway.ref(), generation, listeners, used);
  }

  private static String listenerName(ValidatedGateway gateway, List<String> addresses,
      String address, int port) {
    return addresses.size() == 1
        ? gateway.ref() + "/" + port
        : gateway.ref() + "/" + address + "/" + port;
  }

  /**
   * One certificate per distinct Secret on the port, served for the hostnames of the listeners that
   * use it ({@code *}, the default certificate, for a listener without hostname).
   */
  static List<ServerCertificate> certificates(List<ValidatedListener> listeners) {
    Map<TlsCertificate, Set<String>> names = new LinkedHashMap<>();
    for (ValidatedListener l : listeners) {
      names.computeIfAbsent(l.certificate(), c -> new TreeSet<>(Hostnames.MOST_SPECIFIC_FIRST))
          .add(l.hostname());
    }
    List<ServerCertificate> out = new ArrayList<>();
    names.forEach((c, hosts) -> out.add(new ServerCertificate(List.copyOf(hosts), c.chainPem(),
        c.keyPem(), c.source())));
    return out;
  }

  /**
   * The client-certificate validation of a port: {@code spec.tls.frontend} is per port, so every
   * Gateway listener on it has the same; ListenerSet listeners have none of their own.
   */
  private static @Nullable ClientValidation clientValidation(List<ValidatedListener> listeners) {
    for (ValidatedListener l : listeners) {
      if (l.frontend() != null && l.frontend().validation() != null) {
        return l.frontend().validation();
      }
    }
    return null;
  }

  private static List<VirtualHost> virtualHosts(List<ValidatedListener> listeners,
      List<Attachment> attachments) {
    List<Attachment> mine = attachments.stream()
        .filter(a -> listeners.stream().anyMatch(l -> l.name().equals(a.listener())))
        .toList();
    Set<String> candidates = new TreeSet<>(Hostnames.MOST_SPECIFIC_FIRST);
    listeners.forEach(l -> candidates.add(l.hostname()));
    mine.forEach(a -> candidates.addAll(a.hostnames()));
    List<ValidatedListener> bySpecificity = new ArrayList<>(listeners);
    bySpecificity.sort((a, b) -> Hostnames.MOST_SPECIFIC_FIRST.compare(a.hostname(),
        b.hostname()));
    Map<List<Route>, List<String>> merged = new LinkedHashMap<>();
    AttachmentIndex index = new AttachmentIndex(mine);
    for (String host : candidates) {
      ValidatedListener owner = bySpecificity.stream()
          .filter(l -> Hostnames.covers(l.hostname(), host))
          .findFirst()
          .orElseThrow();
      merged.computeIfAbsent(routesFor(owner, host, index.covering(owner.name(), host)),
          r -> new ArrayList<>()).add(host);
    }
    List<VirtualHost> out = new ArrayList<>();
    merged.forEach((routes, hosts) -> out.add(new VirtualHost(hosts, routes)));
    return out;
  }

  /**
   * The routes of {@code owner} that serve {@code host}. Gateway API (HTTPRouteSpec.hostnames):
   * when route hostnames overlap, rules of the route with the most specific matching hostname come
   * first; then the usual match precedence.
   *
   * @param attachments at least those attachments of {@code owner} that cover {@code host}, in
   * their original order
   */
  private static List<Route> routesFor(ValidatedListener owner, String host,
      List<Attachment> attachments) {
    Map<RankedRoute, String> matchedHostname = new HashMap<>();
    for (Attachment a : attachments) {
      if (!a.listener().equals(owner.name())) {
        continue;
      }
      a.hostnames().stream()
          .filter(h -> Hostnames.covers(h, host))
          .min(Hostnames.MOST_SPECIFIC_FIRST)
          .ifPresent(h -> a.routes().forEach(r -> matchedHostname.merge(r, h,
              (x, y) -> Hostnames.MOST_SPECIFIC_FIRST.compare(x, y) <= 0 ? x : y)));
    }
    Comparator<RankedRoute> order = Comparator
        .comparing((RankedRoute r) -> matchedHostname.get(r), Hostnames.MOST_SPECIFIC_FIRST)
        .thenComparing(Precedence.ORDER);
    return matchedHostname.keySet().stream().sorted(order).map(RankedRoute::route).toList();
  }

  private static void addClusters(Route route, Map<String, Cluster> all,
      Map<String, Cluster> used) {
    if (route.action() instanceof Action.Forward f) {
      for (WeightedCluster wc : f.clusters()) {
        used.put(wc.cluster(), all.get(wc.cluster()));
      }
    }
    for (Filter filter : route.filters()) {
      if (filter instanceof Filter.RequestMirror m) {
        used.put(m.cluster(), all.get(m.cluster()));
      }
    }
  }
}
