package io.gatehouse.translator;

import io.gatehouse.model.Cluster;
import io.gatehouse.model.L4Route;
import io.gatehouse.model.Listener;
import io.gatehouse.model.TcpListener;
import io.gatehouse.model.TlsMixedListener;
import io.gatehouse.model.TlsPassthroughListener;
import io.gatehouse.model.TlsTerminateListener;
import io.gatehouse.model.WeightedCluster;
import io.gatehouse.translator.gateway.ValidatedListener;
import io.gatehouse.translator.route.Hostnames;
import io.gatehouse.translator.route.L4Attachment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiConsumer;

/**
 * Builds the model listener of one TCP or TLS port from the routes attached to its Gateway
 * listeners. Conflicts resolve oldest first (creationTimestamp, then namespace/name): on a TCP port
 * the oldest route carries every connection, on a TLS port each SNI name goes to the oldest route
 * that serves it; the others stay Accepted and counted but get no traffic.
 */
final class L4Assembler {
  private L4Assembler() {
  }

  /**
   * The listener for {@code port}, whose Gateway listeners {@code ls} all have one protocol (TCP,
   * or TLS: a port with TLS listeners of both modes becomes a {@link TlsMixedListener}, each route
   * in the list of the mode of the listener owning its names).
   *
   * @param used receives the clusters the listener forwards to
   */
  static Listener assemble(String name, String address, int port, List<ValidatedListener> ls,
      List<L4Attachment> attachments, Map<String, Cluster> clusters, Map<String, Cluster> used) {
    List<L4Attachment> mine = attachments.stream()
        .filter(a -> ls.stream().anyMatch(l -> l.name().equals(a.listener())))
        .sorted(L4Attachment.OLDEST_FIRST)
        .toList();
    ValidatedListener first = ls.get(0);
    if (first.protocol().equals("TCP")) {
      L4Route route = mine.isEmpty() ? null : route(mine.get(0), List.of(Hostnames.ANY));
      if (route != null) {
        addClusters(route, clusters, used);
      }
      return new TcpListener(name, address, port, route);
    }
    Map<String, Boolean> terminates = new HashMap<>();
    ls.forEach(l -> terminates.put(l.name(), l.terminatesTls()));
    List<L4Route> passthrough = new ArrayList<>();
    List<L4Route> terminate = new ArrayList<>();
    bySni(mine, ls, (listener, r) -> (terminates.get(listener) ? terminate : passthrough).add(r));
    passthrough.forEach(r -> addClusters(r, clusters, used));
    terminate.forEach(r -> addClusters(r, clusters, used));
    if (terminates.containsValue(true) && terminates.containsValue(false)) {
      return new TlsMixedListener(name, address, port, passthrough, terminate,
          ConfigAssembler.certificates(ls.stream().filter(ValidatedListener::terminatesTls)
              .toList()));
    }
    List<L4Route> routes = first.terminatesTls() ? terminate : passthrough;
    return first.terminatesTls()
        ? new TlsTerminateListener(name, address, port, routes,
            ConfigAssembler.certificates(ls))
        : new TlsPassthroughListener(name, address, port, routes);
  }

  /**
   * Each SNI name to the oldest route serving it; one model route per winning route. Listener
   * isolation, as for HTTP: a name belongs to the most specific listener hostname covering it, and
   * only that listener's routes may serve it; a listener hostname none of its routes serves maps to
   * a route without backends, so its connections are refused rather than served by a less specific
   * listener's route. Each route is reported with the name of the listener owning its names.
   */
  private static void bySni(List<L4Attachment> oldestFirst, List<ValidatedListener> ls,
      BiConsumer<String, L4Route> out) {
    List<ValidatedListener> bySpecificity = new ArrayList<>(ls);
    bySpecificity.sort((a, b) -> Hostnames.MOST_SPECIFIC_FIRST.compare(a.hostname(),
        b.hostname()));
    Map<String, L4Attachment> winner = new TreeMap<>();
    for (L4Attachment a : oldestFirst) {
      for (String h : a.hostnames()) {
        if (owner(bySpecificity, h).equals(a.listener())) {
          winner.putIfAbsent(h, a);
        }
      }
    }
    Map<L4Attachment, TreeSet<String>> names = new LinkedHashMap<>();
    for (L4Attachment a : oldestFirst) {
      winner.forEach((host, w) -> {
        if (w == a) {
          names.computeIfAbsent(a, x -> new TreeSet<>(Hostnames.MOST_SPECIFIC_FIRST)).add(host);
        }
      });
    }
    names.forEach((a, hosts) -> out.accept(a.listener(), route(a, List.copyOf(hosts))));
    for (ValidatedListener l : bySpecificity) {
      if (!l.hostname().equals(Hostnames.ANY) && !winner.containsKey(l.hostname())) {
        out.accept(l.name(),
            new L4Route("listener/" + l.name(), List.of(l.hostname()), List.of(), 0));
      }
    }
  }

  /** The name of the most specific listener whose hostname covers {@code host}. */
  private static String owner(List<ValidatedListener> bySpecificity, String host) {
    return bySpecificity.stream()
        .filter(l -> Hostnames.covers(l.hostname(), host))
        .findFirst()
        .map(ValidatedListener::name)
        .orElse("");
  }

  private static L4Route route(L4Attachment a, List<String> hostnames) {
    return new L4Route(a.routeName(), hostnames, a.backends(), a.rejectedWeight());
  }

  private static void addClusters(L4Route route, Map<String, Cluster> all,
      Map<String, Cluster> used) {
    for (WeightedCluster wc : route.backends()) {
      used.put(wc.cluster(), all.get(wc.cluster()));
    }
  }
}
