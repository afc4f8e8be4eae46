package io.gatehouse.translator.gateway;

import io.gatehouse.translator.Namespaces;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.AllowedRoutes;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Listener;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteGroupKind;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteGroupKindBuilder;
import io.gatehouse.translator.route.Hostnames;
import io.gatehouse.translator.status.Problem;
import io.gatehouse.translator.status.Reason;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Validates the listeners of one Gateway: protocol support (HTTP, HTTPS with TLS mode Terminate,
 * TCP, TLS with mode Passthrough or Terminate, and UDP), allowedRoutes kinds (HTTPRoute and
 * GRPCRoute on HTTP and HTTPS, TCPRoute on TCP, TLSRoute on TLS, UDPRoute on UDP), HTTPS
 * certificates ({@link CertificateResolver}), and conflicts between listeners (duplicate names,
 * protocols or hostnames on one port).
 */
public final class ListenerValidator {
  private static final String GATEWAY_GROUP = "gateway.networking.k8s.io";
  private static final Set<String> SUPPORTED_PROTOCOLS = Set.of("HTTP", "HTTPS", "TCP", "TLS",
      "UDP");
  private static final Set<String> TLS_MODES = Set.of("Passthrough", "Terminate");
  /** The route kinds each supported protocol serves (also its default supportedKinds). */
  private static final Map<String, List<String>> ROUTE_KINDS = Map.of(
      "HTTP", List.of("HTTPRoute", "GRPCRoute"), "HTTPS", List.of("HTTPRoute", "GRPCRoute"),
      "TCP", List.of("TCPRoute"), "TLS", List.of("TLSRoute"), "UDP", List.of("UDPRoute"));

  private ListenerValidator() {
  }

  /**
   * The listeners that have a unique name, validated; problems that belong to the Gateway itself
   * (duplicate names) are added to {@code gatewayProblems}.
   */
  public static List<ValidatedListener> validateListeners(Gateway gateway,
      CertificateResolver certificates, List<Problem> gatewayProblems) {
    List<Listener> specs = gateway.getSpec() == null || gateway.getSpec().getListeners() == null
        ? List.of()
        : gateway.getSpec().getListeners();
    Map<String, Integer> firstByName = new HashMap<>();
    List<ValidatedListener> out = new ArrayList<>();
    for (int i = 0; i < specs.size(); i++) {
      Listener l = specs.get(i);
      String name = l.getName() == null ? "" : l.getName();
      Integer first = firstByName.putIfAbsent(name, i);
      if (first != null) {
        gatewayProblems.add(new Problem(Reason.LISTENERS_NOT_VALID, "spec.listeners[" + i
            + "]: name \"" + name + "\" is already used by spec.listeners[" + first + "]."));
        continue;
      }
      out.add(validate(i, name, l, Namespaces.of(gateway), certificates));
    }
    return ListenerConflicts.markConflicts(out);
  }

  static ValidatedListener validate(int i, String name, Listener l,
      String gatewayNamespace, CertificateResolver certificates) {
    String path = "spec.listeners[" + i + "]";
    String protocol = l.getProtocol() == null ? "" : l.getProtocol();
    Problem notAccepted = null;
    List<RouteGroupKind> kinds = List.of();
    Problem invalidKinds = null;
    if (l.getPort() == null || l.getPort() < 1 || l.getPort() > 65535) {
      notAccepted = new Problem(Reason.PORT_UNAVAILABLE,
          path + ".port: Port " + l.getPort() + " is not between 1 and 65535.");
    } else if (!SUPPORTED_PROTOCOLS.contains(protocol)) {
      notAccepted = new Problem(Reason.UNSUPPORTED_PROTOCOL,
          path + ".protocol: Protocol \"" + protocol + "\" is not supported.");
    } else if (protocol.equals("HTTPS") && l.getTls() != null
        && "Passthrough".equals(l.getTls().getMode())) {
      notAccepted = new Problem(Reason.UNSUPPORTED_VALUE, path
          + ".tls.mode: Mode \"Passthrough\" is not valid on an HTTPS listener; use Terminate.");
    } else if (protocol.equals("TLS") && !TLS_MODES.contains(tlsMode(l))) {
      notAccepted = new Problem(Reason.UNSUPPORTED_VALUE, path + ".tls.mode: Mode \""
          + tlsMode(l) + "\" is not supported; use Passthrough or Terminate.");
    } else {
      kinds = new ArrayList<>();
      invalidKinds = supportedKinds(l.getAllowedRoutes(), path, protocol, kinds);
    }
    String tlsMode = protocol.equals("TLS") ? tlsMode(l) : null;
    // HTTPS and TLS Terminate listeners end TLS with their own certificates; Passthrough has none.
    boolean terminates = protocol.equals("HTTPS") || "Terminate".equals(tlsMode);
    CertificateResolver.Resolution tls = notAccepted == null && terminates
        ? certificates.resolve(gatewayNamespace, l.getTls(), path)
        : new CertificateResolver.Resolution(null, null);
    AllowedRoutes allowed = l.getAllowedRoutes();
    var namespaces = allowed == null ? null : allowed.getNamespaces();
    String from = namespaces == null || namespaces.getFrom() == null
        ? "Same"
        : namespaces.getFrom();
    return new ValidatedListener(i, name, l.getPort() == null ? 0 : l.getPort(), protocol,
        Hostnames.normalize(l.getHostname()), kinds, notAccepted, invalidKinds, null, from,
        namespaces == null ? null : namespaces.getSelector(), tls.certificate(), tls.problem(),
        null, tlsMode);
  }

  /** {@code tls.mode}, defaulted as the CRD does to Terminate. */
  private static String tlsMode(Listener l) {
    return l.getTls() == null || l.getTls().getMode() == null
        ? "Terminate"
        : l.getTls().getMode();
  }

  /** Fills {@code out} with the valid kinds; returns the problem with the others, if any. */
  private static @Nullable Problem supportedKinds(@Nullable AllowedRoutes allowed, String path,
      String protocol, List<RouteGroupKind> out) {
    List<String> routeKinds = ROUTE_KINDS.get(protocol);
    if (allowed == null || allowed.getKinds() == null || allowed.getKinds().isEmpty()) {
      routeKinds.forEach(k -> out.add(routeKind(k)));
      return null;
    }
    List<String> invalid = new ArrayList<>();
    Set<String> named = new HashSet<>();
    for (RouteGroupKind k : allowed.getKinds()) {
      String group = k.getGroup() == null ? GATEWAY_GROUP : k.getGroup();
      if (group.equals(GATEWAY_GROUP) && routeKinds.contains(k.getKind())) {
        named.add(k.getKind());
      } else {
        invalid.add("\"" + (group.isEmpty() ? "" : group + "/") + k.getKind() + "\"");
      }
    }
    // In the order of the protocol's kinds, each once, whatever order they are written in.
    routeKinds.stream().filter(named::contains).forEach(k -> out.add(routeKind(k)));
    return invalid.isEmpty()
        ? null
        : new Problem(Reason.INVALID_ROUTE_KINDS, path + ".allowedRoutes.kinds: Kind "
            + String.join(", ", invalid) + " is not supported on an " + protocol + " listener.");
  }

  private static RouteGroupKind routeKind(String kind) {
    return new RouteGroupKindBuilder().withGroup(GATEWAY_GROUP).withKind(kind).build();
  }
}
