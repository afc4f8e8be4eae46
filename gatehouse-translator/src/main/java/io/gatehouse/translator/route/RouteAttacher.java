package io.gatehouse.translator.route;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReference;
import io.gatehouse.model.GatewayRef;
import io.gatehouse.translator.gateway.NamespaceSelector;
import io.gatehouse.translator.gateway.ValidatedGateway;
import io.gatehouse.translator.gateway.ValidatedListener;
import io.gatehouse.translator.status.Problem;
import io.gatehouse.translator.status.Reason;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Attaches a route to the listeners one parentRef selects: by sectionName and port, then by the
 * listener's allowedRoutes (kind and namespace), then by hostname intersection. Each step that
 * leaves nothing gives its own reason: NoMatchingParent, NotAllowedByListeners,
 * NoMatchingListenerHostname.
 */
final class RouteAttacher {
  private final Map<GatewayRef, ValidatedGateway> gateways;
  private final NamespaceSelector namespaces;

  RouteAttacher(Map<GatewayRef, ValidatedGateway> gateways, NamespaceSelector namespaces) {
    this.gateways = gateways;
    this.namespaces = namespaces;
  }

  ParentResult attach(GatewayRef target, ParentReference ref, String path, String routeNamespace,
      String routeName, List<String> routeHostnames, List<RankedRoute> routes) {
    ValidatedGateway gateway = gateways.get(target);
    if (gateway == null) {
      return ParentResult.rejected(new Problem(Reason.NO_MATCHING_PARENT,
          path + ": Gateway \"" + target + "\" not found."));
    }
    List<ValidatedListener> selected = gateway.listeners().stream()
        .filter(l -> ref.getSectionName() == null || ref.getSectionName().equals(l.name()))
        .filter(l -> ref.getPort() == null || Objects.equals(ref.getPort(), l.port()))
        .toList();
    if (selected.isEmpty()) {
      return ParentResult.rejected(new Problem(Reason.NO_MATCHING_PARENT,
          path + ": Gateway \"" + target + "\" has no listener" + describe(ref) + "."));
    }
    List<ValidatedListener> allowed = selected.stream()
        .filter(ValidatedListener::attachable)
        .filter(l -> l.admits(routeNamespace, target.namespace(), namespaces))
        .toList();
    if (allowed.isEmpty()) {
      return ParentResult.rejected(new Problem(Reason.NOT_ALLOWED_BY_LISTENERS,
          path + ": No listener of Gateway \"" + target + "\"" + describe(ref)
              + " allows HTTPRoutes from namespace \"" + routeNamespace + "\"."));
    }
    List<Attachment> out = new ArrayList<>();
    for (ValidatedListener l : allowed) {
      List<String> hostnames = Hostnames.intersect(l.hostname(), routeHostnames);
      if (!hostnames.isEmpty()) {
        out.add(new Attachment(target, l.name(), routeName, hostnames, routes));
      }
    }
    if (out.isEmpty()) {
      return ParentResult.rejected(new Problem(Reason.NO_MATCHING_LISTENER_HOSTNAME,
          "spec.hostnames: No hostname " + routeHostnames + " matches a listener of Gateway \""
              + target + "\"" + describe(ref) + "."));
    }
    return new ParentResult(out, null);
  }

  private static String describe(ParentReference ref) {
    String s = ref.getSectionName() == null ? "" : " named \"" + ref.getSectionName() + "\"";
    return ref.getPort() == null ? s : s + " with port " + ref.getPort();
  }
}
