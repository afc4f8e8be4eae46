package io.gatehouse.translator;

import io.gatehouse.translator.backend.ReferenceGrants;
import io.gatehouse.translator.gateway.CertificateResolver;
import io.gatehouse.model.Cluster;
import io.gatehouse.model.GatewayConfig;
import io.gatehouse.model.GatewayRef;
import io.gatehouse.translator.backend.BackendResolver;
import io.gatehouse.translator.gateway.GatewayClassTranslator;
import io.gatehouse.translator.gateway.GatewayStatusWriter;
import io.gatehouse.translator.gateway.FrontendValidation;
import io.gatehouse.translator.gateway.GatewayTranslator;
import io.gatehouse.translator.gateway.ListenerSetResolver;
import io.gatehouse.translator.gateway.ListenerSets;
import io.gatehouse.translator.gateway.NamespaceSelector;
import io.gatehouse.translator.gateway.ValidatedGateway;
import io.gatehouse.translator.policy.BackendClientCertificates;
import io.gatehouse.translator.policy.BackendTlsPolicies;
import io.gatehouse.translator.route.Attachment;
import io.gatehouse.translator.route.L4Attachment;
import io.gatehouse.translator.route.L4RouteTranslator;
import io.gatehouse.translator.route.TranslatedL4Route;
import io.gatehouse.translator.route.GRPCRouteTranslator;
import io.gatehouse.translator.route.HTTPRouteTranslator;
import io.gatehouse.translator.route.KindConflicts;
import io.gatehouse.translator.route.PendingRoute;
import io.gatehouse.translator.route.TranslatedRoute;
import io.gatehouse.translator.route.UDPRouteTranslator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Turns Gateway API resources into proxy configuration and statuses. Pure: no I/O, no clock, no
 * logging beyond a debug summary, inputs never mutated, output deterministic. Every user mistake
 * becomes a status condition, never an exception; an invalid rule or listener is dropped alone.
 */
public final class Translator {
  private final TranslatorOptions options;

  public Translator(TranslatorOptions options) {
    this.options = options;
  }

  /** Translates one snapshot. */
  public TranslationResult translate(ResourceSnapshot snapshot) {
    List<StatusUpdate> statuses = new ArrayList<>();
    Set<String> ourClasses = new GatewayClassTranslator(options.controllerName())
        .acceptClasses(snapshot.gatewayClasses(), statuses);
    CertificateResolver certificates = new CertificateResolver(snapshot.secrets(),
        new ReferenceGrants(snapshot.referenceGrants()));
    List<ValidatedGateway> gateways = GatewayTranslator.validateGateways(snapshot.gateways(),
        ourClasses, snapshot.gatewayAddresses(), snapshot.unusableAddresses(), certificates,
        new FrontendValidation(snapshot.configMaps(), snapshot.secrets(),
            new ReferenceGrants(snapshot.referenceGrants())));
    // ListenerSets after their Gateways: their listeners yield to the Gateway's own.
    ListenerSets listenerSets = ListenerSetResolver.resolve(snapshot.listenerSets(),
        snapshot.gateways(), gateways, certificates,
        new NamespaceSelector(snapshot.namespaces()));
    // Routes attach after every listener is validated: attachment needs their allowedRoutes.
    List<TranslatedRoute> routes = new ArrayList<>(translateRoutes(snapshot, gateways,
        listenerSets));
    // TCPRoutes and TLSRoutes count on their listeners like HTTPRoutes; their traffic is L4.
    List<L4Attachment> l4 = new ArrayList<>();
    for (TranslatedL4Route r : translateL4Routes(snapshot, gateways, listenerSets)) {
      routes.add(r.route());
      l4.addAll(r.listeners());
    }
    List<Attachment> attachments = routes.stream()
        .flatMap(r -> r.attachments().stream())
        .toList();
    Map<String, Cluster> clusters = new HashMap<>();
    routes.forEach(r -> r.clusters().forEach(c -> clusters.put(c.name(), c)));
    routes.stream().filter(r -> r.status() != null).forEach(r -> statuses.add(r.status()));
    // BackendTLSPolicies turn the clusters of the Service ports they target into TLS clusters.
    BackendTlsPolicies tlsPolicies = BackendTlsPolicies.of(snapshot.backendTlsPolicies(),
        snapshot.configMaps(), snapshot.services());
    clusters.replaceAll((name, c) -> tlsPolicies.apply(c));
    BackendClientCertificates clientCertificates = BackendClientCertificates.of(
        snapshot.gateways(), certificates);
    // Gateway status comes last: it counts the routes attached to each listener.
    List<GatewayConfig> configs = new ArrayList<>();
    Map<GatewayRef, ValidatedGateway> byRef = new HashMap<>();
    Map<GatewayRef, Map<String, Integer>> routeCounts = new HashMap<>();
    for (ValidatedGateway g : gateways) {
      Map<String, Integer> counts = attachedRoutes(g.ref(), attachments);
      byRef.put(g.ref(), g);
      routeCounts.put(g.ref(), counts);
      statuses.add(clientCertificates.addToGatewayStatus(listenerSets.addToGatewayStatus(
          GatewayStatusWriter.writeStatus(g, counts), g), g.ref()));
      // The data plane serves the Gateway's listeners and those of its attached ListenerSets.
      ValidatedGateway served = listenerSets.merge(g);
      if (served.programmed()) {
        configs.add(clientCertificates.apply(
            ConfigAssembler.assemble(served, onGateway(g.ref(), attachments),
                l4.stream().filter(a -> a.gateway().equals(g.ref())).toList(), clusters)));
      }
    }
    statuses.addAll(listenerSets.statuses(byRef, routeCounts));
    // Policy ancestors are the Gateways whose configuration uses a targeted Service.
    statuses.addAll(tlsPolicies.statuses(configs, options.controllerName()));
    statuses.sort((a, b) -> a.object().compareTo(b.object()));
    return new TranslationResult(configs, statuses);
  }

  private List<TranslatedRoute> translateRoutes(ResourceSnapshot snapshot,
      List<ValidatedGateway> gateways, ListenerSets listenerSets) {
    Map<GatewayRef, ValidatedGateway> ours = new LinkedHashMap<>();
    gateways.forEach(g -> ours.put(g.ref(), g));
    Set<GatewayRef> all = snapshot.gateways().stream()
        .map(g -> new GatewayRef(Namespaces.of(g), g.getMetadata().getName()))
        .collect(Collectors.toSet());
    BackendResolver backends = new BackendResolver(snapshot);
    NamespaceSelector namespaces = new NamespaceSelector(snapshot.namespaces());
    HTTPRouteTranslator translator = new HTTPRouteTranslator(options.controllerName(), ours, all,
        listenerSets, backends, namespaces);
    GRPCRouteTranslator grpc = new GRPCRouteTranslator(options.controllerName(), ours, all,
        listenerSets, backends, namespaces);
    UDPRouteTranslator udp = new UDPRouteTranslator(options.controllerName(), ours, all,
        listenerSets, new BackendResolver(snapshot), new NamespaceSelector(snapshot.namespaces()));
    // An HTTPRoute and a GRPCRoute may not share a hostname on a listener: settle that before
    // their statuses are written.
    List<TranslatedRoute> out = new ArrayList<>(KindConflicts.resolve(
        snapshot.httpRoutes().stream().map(translator::translatePending).toList(),
        snapshot.grpcRoutes().stream().map(grpc::translatePending).toList())
        .stream()
        .map(PendingRoute::finish)
        .toList());
    snapshot.udpRoutes().forEach(r -> out.add(udp.translateRoute(r)));
    return out;
  }

  private List<TranslatedL4Route> translateL4Routes(ResourceSnapshot snapshot,
      List<ValidatedGateway> gateways, ListenerSets listenerSets) {
    Map<GatewayRef, ValidatedGateway> ours = new LinkedHashMap<>();
    gateways.forEach(g -> ours.put(g.ref(), g));
    Set<GatewayRef> all = snapshot.gateways().stream()
        .map(g -> new GatewayRef(Namespaces.of(g), g.getMetadata().getName()))
        .collect(Collectors.toSet());
    L4RouteTranslator translator = new L4RouteTranslator(options.controllerName(), ours, all,
        listenerSets, new BackendResolver(snapshot), new NamespaceSelector(snapshot.namespaces()));
    List<TranslatedL4Route> out = new ArrayList<>();
    snapshot.tcpRoutes().forEach(r -> out.add(translator.translate(r)));
    snapshot.tlsRoutes().forEach(r -> out.add(translator.translate(r)));
    return out;
  }

  private static List<Attachment> onGateway(GatewayRef gateway, List<Attachment> attachments) {
    return attachments.stream().filter(a -> a.gateway().equals(gateway)).toList();
  }

  /** The number of distinct routes attached to each listener of {@code gateway}. */
  private static Map<String, Integer> attachedRoutes(GatewayRef gateway,
      List<Attachment> attachments) {
    Map<String, Set<String>> routes = new HashMap<>();
    for (Attachment a : onGateway(gateway, attachments)) {
      routes.computeIfAbsent(a.listener(), l -> new TreeSet<>()).add(a.routeName());
    }
    Map<String, Integer> counts = new HashMap<>();
    routes.forEach((listener, names) -> counts.put(listener, names.size()));
    return counts;
  }
}
