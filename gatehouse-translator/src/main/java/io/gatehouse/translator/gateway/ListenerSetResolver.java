package io.gatehouse.translator.gateway;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.AllowedListeners;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerEntry;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerNamespaces;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerSet;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentGatewayReference;
import io.gatehouse.model.GatewayRef;
import io.gatehouse.translator.Namespaces;
import io.gatehouse.translator.ObjectRef;
import io.gatehouse.translator.status.Problem;
import io.gatehouse.translator.status.Reason;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Attaches ListenerSets (GEP-1713) to our Gateways. A ListenerSet attaches when its parent Gateway
 * exists, is accepted, and admits its namespace through {@code spec.allowedListeners.namespaces}
 * (None by default, Same, All or Selector); otherwise it is rejected with ParentNotAccepted or
 * NotAllowed. ListenerSets whose parent belongs to another controller are left alone.
 *
 * <p>
 * Listener precedence (GEP-1713): the Gateway's own listeners first, then ListenerSets by
 * {@code creationTimestamp}, then by namespace and name. A ListenerSet listener that shares a port
 * with a listener of higher precedence but speaks another protocol (HTTPS and TLS excepted, which
 * SNI tells apart) is a ProtocolConflict; the same protocol and hostname is a HostnameConflict. The
 * listener of higher precedence keeps serving; the conflicted one is not served.
 */
public final class ListenerSetResolver {
  private static final String GATEWAY_GROUP = "gateway.networking.k8s.io";
  /** Precedence among ListenerSets: creationTimestamp, then namespace, then name. */
  private static final Comparator<ListenerSet> PRECEDENCE = Comparator
      .comparing((ListenerSet s) -> nullToEmpty(s.getMetadata().getCreationTimestamp()))
      .thenComparing(Namespaces::of)
      .thenComparing(s -> nullToEmpty(s.getMetadata().getName()));

  /** A listener that holds its port, and who declared it, for conflict messages. */
  private record Taken(ValidatedListener listener, String owner) {
  }

  private ListenerSetResolver() {
  }

  /**
   * Resolves every ListenerSet against {@code gateways} (all Gateways of the snapshot) and
   * {@code ours} (our validated Gateways).
   */
  public static ListenerSets resolve(List<ListenerSet> listenerSets, List<Gateway> gateways,
      List<ValidatedGateway> ours, CertificateResolver certificates,
      NamespaceSelector namespaces) {
    Map<GatewayRef, Gateway> all = new HashMap<>();
    gateways.forEach(g -> all.put(new GatewayRef(Namespaces.of(g), g.getMetadata().getName()), g));
    Map<GatewayRef, ValidatedGateway> byRef = new LinkedHashMap<>();
    ours.forEach(g -> byRef.put(g.ref(), g));
    Map<GatewayRef, List<Taken>> taken = new HashMap<>();
    byRef.values().forEach(g -> taken.put(g.ref(), gatewayListeners(g)));
    CertificateResolver lsCertificates = certificates.forListenerSets();
    List<ResolvedListenerSet> resolved = new ArrayList<>();
    Set<String> foreign = new HashSet<>();
    List<ListenerSet> sorted = new ArrayList<>(listenerSets);
    sorted.sort(PRECEDENCE);
    for (ListenerSet ls : sorted) {
      ObjectRef ref = new ObjectRef("ListenerSet", Namespaces.of(ls), ls.getMetadata().getName());
      ParentGatewayReference parentRef = ls.getSpec() == null ? null : ls.getSpec().getParentRef();
      if (parentRef == null || !GATEWAY_GROUP.equals(orDefault(parentRef.getGroup(), GATEWAY_GROUP))
          || !"Gateway".equals(orDefault(parentRef.getKind(), "Gateway"))) {
        foreign.add(ref.namespace() + "/" + ref.name());
        continue; // not a parent kind we implement
      }
      GatewayRef parent = new GatewayRef(orDefault(parentRef.getNamespace(), ref.namespace()),
          orDefault(parentRef.getName(), ""));
      ValidatedGateway gateway = byRef.get(parent);
      if (gateway == null && all.containsKey(parent)) {
        foreign.add(ref.namespace() + "/" + ref.name());
        continue; // another controller's Gateway
      }
      Problem rejection = rejection(parent, gateway, all.get(parent), ref.namespace(), namespaces);
      if (rejection != null) {
        resolved.add(new ResolvedListenerSet(ref, ls.getMetadata().getGeneration(), parent,
            rejection, List.of(), List.of()));
        continue;
      }
      List<Problem> problems = new ArrayList<>();
      // Conflicts with listeners of higher precedence first: a listener they rule out binds
      // nothing, so it does not conflict with the ListenerSet's other listeners.
      List<ValidatedListener> listeners = ListenerConflicts.markConflicts(resolveConflicts(
          validateListeners(ls, lsCertificates, problems), taken.get(parent)));
      ResolvedListenerSet r = new ResolvedListenerSet(ref, ls.getMetadata().getGeneration(),
          parent, null, listeners, problems);
      if (r.accepted()) {
        listeners.stream().filter(ResolvedListenerSet::valid)
            .forEach(l -> taken.get(parent).add(new Taken(l, ref + " listener \"" + l.name()
                + "\"")));
      }
      resolved.add(r);
    }
    return new ListenerSets(resolved, foreign, allowedFrom(byRef, all));
  }

  private static List<Taken> gatewayListeners(ValidatedGateway g) {
    List<Taken> out = new ArrayList<>();
    for (ValidatedListener l : g.listeners()) {
      if (l.notAccepted() == null && l.conflict() == null) {
        out.add(new Taken(l, "Gateway " + g.ref() + " listener \"" + l.name() + "\""));
      }
    }
    return out;
  }

  private static Problem rejection(GatewayRef parent, ValidatedGateway gateway, Gateway spec,
      String namespace, NamespaceSelector namespaces) {
    if (gateway == null) {
      return new Problem(Reason.PARENT_NOT_ACCEPTED,
          "spec.parentRef: Gateway \"" + parent + "\" not found.");
    }
    if (gateway.rejection() != null) {
      return new Problem(Reason.PARENT_NOT_ACCEPTED,
          "spec.parentRef: Gateway \"" + parent + "\" is not accepted.");
    }
    ListenerNamespaces allowed = allowedNamespaces(spec);
    String from = from(allowed);
    boolean admitted = switch (from) {
      case "All" -> true;
      case "Same" -> namespace.equals(parent.namespace());
      case "Selector" -> allowed.getSelector() != null
          && namespaces.matches(allowed.getSelector(), namespace);
      default -> false;
    };
    return admitted
        ? null
        : new Problem(Reason.NOT_ALLOWED, "spec.parentRef: Gateway \"" + parent
            + "\" does not allow ListenerSets from namespace \"" + namespace
            + "\" (spec.allowedListeners.namespaces.from: " + from + ").");
  }

  /** The ListenerSet's listeners with a unique name, validated as Gateway listeners are. */
  private static List<ValidatedListener> validateListeners(ListenerSet ls,
      CertificateResolver certificates, List<Problem> problems) {
    List<ListenerEntry> entries = ls.getSpec().getListeners() == null
        ? List.of()
        : ls.getSpec().getListeners();
    Map<String, Integer> firstByName = new HashMap<>();
    List<ValidatedListener> out = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      ListenerEntry e = entries.get(i);
      String name = e.getName() == null ? "" : e.getName();
      Integer first = firstByName.putIfAbsent(name, i);
      if (first != null) {
        problems.add(new Problem(Reason.LISTENERS_NOT_VALID, "spec.listeners[" + i
            + "]: name \"" + name + "\" is already used by spec.listeners[" + first + "]."));
        continue;
      }
      // ListenerEntry has the fields of a Gateway Listener; Same in allowedRoutes means the
      // ListenerSet's namespace, which RouteAttacher applies.
      out.add(ListenerValidator.validate(i, name, new ListenerBuilder().withName(name)
          .withPort(e.getPort())
          .withProtocol(e.getProtocol())
          .withHostname(e.getHostname())
          .withTls(e.getTls())
          .withAllowedRoutes(e.getAllowedRoutes())
          .build(), Namespaces.of(ls), certificates));
    }
    return out;
  }

  /** Marks the listeners that conflict with a listener of higher precedence on their port. */
  private static List<ValidatedListener> resolveConflicts(List<ValidatedListener> listeners,
      List<Taken> taken) {
    List<ValidatedListener> out = new ArrayList<>();
    for (ValidatedListener l : listeners) {
      Problem conflict = l.conflict() == null && l.port() >= 1 && l.port() <= 65535
          ? conflict(l, taken)
          : null;
      out.add(conflict == null ? l : conflicted(l, conflict));
    }
    return out;
  }

  private static Problem conflict(ValidatedListener l, List<Taken> taken) {
    String path = "spec.listeners[" + l.index() + "]";
    for (Taken t : taken) {
      ValidatedListener o = t.listener();
      if (o.port() != l.port()) {
        continue;
      }
      boolean sameFamily = o.protocol().equals(l.protocol()); // TLS modes may mix (TLSRouteModeMixed)
      if (!sameFamily) {
        return new Problem(Reason.PROTOCOL_CONFLICT, path + ".protocol: Port " + l.port()
            + " is already used with protocol " + o.protocol() + " by " + t.owner() + ".");
      }
      if (o.protocol().equals(l.protocol()) && o.hostname().equals(l.hostname())) {
        return new Problem(Reason.HOSTNAME_CONFLICT, path + ".hostname: Hostname \""
            + l.hostname() + "\" on port " + l.port() + " is already used by " + t.owner() + ".");
      }
    }
    return null;
  }

  /**
   * {@code l} marked as conflicted. A conflict is reported even for a protocol Gatehouse does not
   * serve (the conformance suite expects ProtocolConflict for a TCP listener on an HTTP port), so
   * the conflict replaces the UnsupportedProtocol reason.
   */
  private static ValidatedListener conflicted(ValidatedListener l, Problem conflict) {
    return new ValidatedListener(l.index(), l.name(), l.port(), l.protocol(), l.hostname(),
        l.supportedKinds(), null, l.invalidKinds(), conflict, l.from(), l.selector(),
        l.certificate(), l.certificateProblem(), null, l.tlsMode());
  }

  private static Map<GatewayRef, String> allowedFrom(Map<GatewayRef, ValidatedGateway> ours,
      Map<GatewayRef, Gateway> all) {
    Map<GatewayRef, String> out = new HashMap<>();
    ours.keySet().forEach(ref -> out.put(ref, from(allowedNamespaces(all.get(ref)))));
    return out;
  }

  private static ListenerNamespaces allowedNamespaces(Gateway g) {
    AllowedListeners allowed = g == null || g.getSpec() == null
        ? null
        : g.getSpec().getAllowedListeners();
    return allowed == null ? null : allowed.getNamespaces();
  }

  /** {@code spec.allowedListeners.namespaces.from}; None when absent (the API default). */
  private static String from(ListenerNamespaces namespaces) {
    return namespaces == null || namespaces.getFrom() == null ? "None" : namespaces.getFrom();
  }

  private static String orDefault(String value, String fallback) {
    return value == null ? fallback : value;
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}
