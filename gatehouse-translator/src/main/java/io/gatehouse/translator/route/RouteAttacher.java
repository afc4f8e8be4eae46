package io.gatehouse.translator.route;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReference;
import io.gatehouse.model.GatewayRef;
import io.gatehouse.translator.gateway.NamespaceSelector;
import io.gatehouse.translator.gateway.ResolvedListenerSet;
import io.gatehouse.translator.gateway.ValidatedGateway;
import io.gatehouse.translator.gateway.ValidatedListener;
import io.gatehouse.translator.status.Problem;
import io.gatehouse.translator.status.Reason;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Attaches a route to the listeners one parentRef (a Gateway or a ListenerSet) selects: by
 * sectionName and port, then by the listener's allowedRoutes (kind and namespace), then by hostname
 * intersection. Each step that leaves nothing gives its own reason: NoMatchingParent,
 * NotAllowedByListeners, NoMatchingListenerHostname.
 */
final class RouteAttacher {
  private final Map<GatewayRef, ValidatedGateway> gateways;
  private final NamespaceSelector namespaces;
  private final String routeKind;

  RouteAttacher(Map<GatewayRef, ValidatedGateway> gateways, NamespaceSelector namespaces) {
    this(gateways, namespaces, "HTTPRoute");
  }

  /** An attacher for routes of {@code routeKind}, which a listener must list in its kinds. */
  RouteAttacher(Map<GatewayRef, ValidatedGateway> gateways, NamespaceSelector namespaces,
      String routeKind) {
    this.gateways = gateways;
    this.namespaces = namespaces;
    this.routeKind = routeKind;
  }

  ParentResult attach(GatewayRef target, ParentReference ref, String path, String routeNamespace,
      String routeName, List<String> routeHostnames, List<RankedRoute> routes) {
    ValidatedGateway gateway = gateways.get(target);
    if (gateway == null) {
      return ParentResult.rejected(new Problem(Reason.NO_MATCHING_PARENT,
          path + ": Gateway \"" + target + "\" not found."));
    }
    return attach(new Parent("Gateway \"" + target + "\"", target, target.namespace(),
        gateway.listeners(), name -> name), ref, path, routeNamespace, routeName, routeHostnames,
        routes);
  }

  /**
   * Attaches to the listeners of a ListenerSet (GEP-1713): they are selected by sectionName and
   * port among the ListenerSet's own listeners only, {@code Same} in their allowedRoutes means the
   * ListenerSet's namespace, and the route serves on the parent Gateway under the listener's
   * qualified name.
   */
  ParentResult attach(ResolvedListenerSet ls, ParentReference ref, String path,
      String routeNamespace, String routeName, List<String> routeHostnames,
      List<RankedRoute> routes) {
    String parent = "ListenerSet \"" + ls.ref().namespace() + "/" + ls.ref().name() + "\"";
    if (!ls.accepted()) {
      return ParentResult.rejected(new Problem(Reason.NO_MATCHING_PARENT,
          path + ": " + parent + " is not attached to its Gateway (see its status)."));
    }
    return attach(new Parent(parent, ls.parent(), ls.ref().namespace(), ls.listeners(),
        ls::qualifiedName), ref, path, routeNamespace, routeName, routeHostnames, routes);
  }

  /**
   * What a parentRef points to.
   *
   * @param description for messages
   * @param gateway the Gateway whose data plane serves the listeners
   * @param namespace the namespace {@code allowedRoutes} {@code Same} refers to
   * @param attachmentName maps a listener's name to its name among the Gateway's served listeners
   */
  private record Parent(String description, GatewayRef gateway, String namespace,
      List<ValidatedListener> listeners, UnaryOperator<String> attachmentName) {
  }

  private ParentResult attach(Parent parent, ParentReference ref, String path,
      String routeNamespace, String routeName, List<String> routeHostnames,
      List<RankedRoute> routes) {
    List<ValidatedListener> selected = parent.listeners().stream()
        .filter(l -> ref.getSectionName() == null || ref.getSectionName().equals(l.name()))
        .filter(l -> ref.getPort() == null || Objects.equals(ref.getPort(), l.port()))
        .toList();
    if (selected.isEmpty()) {
      return ParentResult.rejected(new Problem(Reason.NO_MATCHING_PARENT,
          path + ": " + parent.description() + " has no listener" + describe(ref) + "."));
    }
    List<ValidatedListener> attachable = selected.stream()
        .filter(ValidatedListener::attachable)
        .toList();
    if (!attachable.isEmpty() && attachable.stream().noneMatch(l -> l.supportsKind(routeKind))) {
      return ParentResult.rejected(new Problem(Reason.NOT_ALLOWED_BY_LISTENERS,
          path + ": No listener of " + parent.description() + describe(ref) + " accepts "
              + routeKind + "s (see the listeners' supportedKinds)."));
    }
    List<ValidatedListener> allowed = attachable.stream()
        .filter(l -> l.supportsKind(routeKind))
        .filter(l -> l.admits(routeNamespace, parent.namespace(), namespaces))
        .toList();
    if (allowed.isEmpty()) {
      return ParentResult.rejected(new Problem(Reason.NOT_ALLOWED_BY_LISTENERS,
          path + ": No listener of " + parent.description() + describe(ref)
              + " allows " + routeKind + "s from namespace \"" + routeNamespace + "\"."));
    }
    List<Attachment> out = new ArrayList<>();
    for (ValidatedListener l : allowed) {
      List<String> hostnames = Hostnames.intersect(l.hostname(), routeHostnames);
      if (!hostnames.isEmpty()) {
        out.add(new Attachment(parent.gateway(), parent.attachmentName().apply(l.name()),
            routeName, hostnames, routes));
      }
    }
    if (out.isEmpty()) {
      return ParentResult.rejected(new Problem(Reason.NO_MATCHING_LISTENER_HOSTNAME,
          "spec.hostnames: No hostname " + routeHostnames + " matches a listener of "
              + parent.description() + describe(ref) + "."));
    }
    return new ParentResult(out, null);
  }

  private static String describe(ParentReference ref) {
    String s = ref.getSectionName() == null ? "" : " named \"" + ref.getSectionName() + "\"";
    return ref.getPort() == null ? s : s + " with port " + ref.getPort();
  }
}
