package io.gatehouse.translator;

import io.gatehouse.model.Action;
import io.gatehouse.model.Cluster;
import io.gatehouse.model.UdpListener;
import io.gatehouse.model.WeightedCluster;
import io.gatehouse.translator.gateway.ValidatedGateway;
import io.gatehouse.translator.gateway.ValidatedListener;
import io.gatehouse.translator.route.Attachment;
import io.gatehouse.translator.route.RankedRoute;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds the {@link UdpListener}s of one Gateway. Several UDPRoutes may attach to one UDP listener
 * and all count as attached, but a datagram carries nothing to choose between them: the oldest
 * route (by creationTimestamp, then {@code namespace/name}) carries the traffic, as Gateway API
 * route conflict resolution prescribes.
 */
final class UdpAssembler {
  private static final Comparator<RankedRoute> OLDEST_FIRST = Comparator
      .comparing(RankedRoute::creationTimestamp, Comparator.nullsLast(Comparator.naturalOrder()))
      .thenComparing(RankedRoute::routeName);

  private UdpAssembler() {
  }

  /** Whether the listener is a UDP listener, which {@link #listener} assembles. */
  static boolean isUdp(ValidatedListener l) {
    return l.protocol().equals("UDP");
  }

  /**
   * The model listener of {@code l} bound on {@code address}; the clusters it forwards to are added
   * to {@code used}.
   */
  static UdpListener listener(ValidatedGateway gateway, ValidatedListener l, String address,
      List<Attachment> attachments, Map<String, Cluster> clusters, Map<String, Cluster> used) {
    List<String> addresses = gateway.addresses().bound();
    String name = (addresses.size() == 1
        ? gateway.ref() + "/" + l.port()
        : gateway.ref() + "/" + address + "/" + l.port()) + "/udp";
    Optional<RankedRoute> oldest = attachments.stream()
        .filter(a -> a.listener().equals(l.name()))
        .flatMap(a -> a.routes().stream())
        .min(OLDEST_FIRST);
    if (oldest.isEmpty() || !(oldest.get().route().action() instanceof Action.Forward f)) {
      return new UdpListener(name, address, l.port(), oldest.map(RankedRoute::routeName)
          .orElse(""), List.of(), 0);
    }
    for (WeightedCluster wc : f.clusters()) {
      used.put(wc.cluster(), clusters.get(wc.cluster()));
    }
    return new UdpListener(name, address, l.port(), oldest.get().routeName(), f.clusters(),
        f.invalidWeight());
  }
}
