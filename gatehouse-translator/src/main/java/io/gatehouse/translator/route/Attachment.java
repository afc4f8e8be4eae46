package io.gatehouse.translator.route;

import static java.util.Objects.requireNonNull;

import io.gatehouse.model.GatewayRef;
import java.util.List;

/**
 * A route attached to one listener of one Gateway.
 *
 * @param routeName {@code namespace/name} of the HTTPRoute (or TCPRoute, TLSRoute, UDPRoute);
 * {@code GRPCRoute/namespace/name} of a GRPCRoute, which may share a listener with an HTTPRoute of
 * the same name: listeners count distinct route names as their attachedRoutes
 * @param hostnames the listener hostname intersected with the route hostnames, never empty
 * @param routes the route's model routes, with what precedence needs
 */
public record Attachment(GatewayRef gateway, String listener, String routeName,
    List<String> hostnames, List<RankedRoute> routes) {
  public Attachment {
    requireNonNull(gateway, "gateway");
    requireNonNull(listener, "listener");
    requireNonNull(routeName, "routeName");
    hostnames = List.copyOf(hostnames);
    routes = List.copyOf(routes);
  }
}
