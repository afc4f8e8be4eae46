package io.gatehouse.translator.route;

import io.gatehouse.model.GatewayRef;
import io.gatehouse.translator.status.Problem;
import io.gatehouse.translator.status.Reason;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Settles HTTPRoutes and GRPCRoutes that share hostnames on one listener. Gateway API
 * (GRPCRouteSpec.hostnames): "If a Route (A) of type HTTPRoute or GRPCRoute is attached to a
 * Listener and that listener already has another Route (B) of the other type attached and the
 * intersection of the hostnames of A and B is non-empty, then the implementation MUST accept
 * exactly one of these two routes, determined by the following criteria, in order: the oldest Route
 * based on creation timestamp; the Route appearing first in alphabetical order by
 * {namespace}/{name}. The rejected Route MUST raise an 'Accepted' condition with a status of
 * 'False' in the corresponding RouteParentStatus."
 *
 * <p>
 * Per listener, the routes accepted there are taken in that order (a route without a creation
 * timestamp after those with one); each keeps the listener unless its hostnames intersect those of
 * a route of the other kind kept before it. A route that loses a listener no longer attaches to it.
 * A parentRef that loses every listener it was accepted on gets Accepted=False with reason
 * HostnameConflict (the spec names no reason); one that keeps another listener stays accepted
 * there. Routes of the same kind never conflict this way (their rules merge).
 */
public final class KindConflicts {
  private static final Comparator<PendingRoute> PRECEDENCE = Comparator
      .comparing(PendingRoute::creationTimestamp, Comparator.nullsLast(Comparator.naturalOrder()))
      .thenComparing(r -> r.object().namespace() + "/" + r.object().name())
      .thenComparing(r -> r.object().kind());

  private KindConflicts() {
  }

  /**
   * {@code http} and {@code grpc}, in that order, with the listeners lost to a route of the other
   * kind taken away.
   */
  public static List<PendingRoute> resolve(List<PendingRoute> http, List<PendingRoute> grpc) {
    List<PendingRoute> all = new ArrayList<>(http);
    all.addAll(grpc);
    if (http.isEmpty() || grpc.isEmpty()) {
      return all;
    }
    Map<Listener, List<Claim>> byListener = new LinkedHashMap<>();
    for (PendingRoute r : all) {
      for (Attachment a : r.accepted()) {
        byListener.computeIfAbsent(new Listener(a.gateway(), a.listener()),
            l -> new ArrayList<>()).add(new Claim(r, a.hostnames()));
      }
    }
    Map<PendingRoute, Map<Listener, PendingRoute>> lost = new IdentityHashMap<>();
    byListener.forEach((listener, claims) -> settle(listener, claims, lost));
    if (lost.isEmpty()) {
      return all;
    }
    return all.stream()
        .map(r -> lost.containsKey(r) ? withoutLost(r, lost.get(r)) : r)
        .toList();
  }

  private static void settle(Listener listener, List<Claim> claims,
      Map<PendingRoute, Map<Listener, PendingRoute>> lost) {
    if (claims.stream().map(c -> c.route().object().kind()).distinct().count() < 2) {
      return;
    }
    List<Claim> ordered = new ArrayList<>(claims);
    ordered.sort(Comparator.comparing(Claim::route, PRECEDENCE));
    List<Claim> kept = new ArrayList<>();
    for (Claim c : ordered) {
      Claim winner = kept.stream()
          .filter(k -> !k.route().object().kind().equals(c.route().object().kind()))
          .filter(k -> intersect(k.hostnames(), c.hostnames()))
          .findFirst()
          .orElse(null);
      if (winner == null) {
        kept.add(c);
      } else {
        lost.computeIfAbsent(c.route(), r -> new HashMap<>()).put(listener, winner.route());
      }
    }
  }

  private static boolean intersect(List<String> a, List<String> b) {
    return a.stream().anyMatch(x -> b.stream().anyMatch(y -> Hostnames.intersect(x, y)
        .isPresent()));
  }

  private static PendingRoute withoutLost(PendingRoute route,
      Map<Listener, PendingRoute> lostTo) {
    return route.withParents(p -> {
      if (p.result().rejection() != null) {
        return p;
      }
      List<Attachment> left = new ArrayList<>();
      PendingRoute winner = null;
      Listener where = null;
      for (Attachment a : p.result().listeners()) {
        Listener l = new Listener(a.gateway(), a.listener());
        if (lostTo.containsKey(l)) {
          winner = winner == null ? lostTo.get(l) : winner;
          where = where == null ? l : where;
        } else {
          left.add(a);
        }
      }
      if (winner == null) {
        return p;
      }
      ParentResult result = left.isEmpty()
          ? ParentResult.rejected(new Problem(Reason.HOSTNAME_CONFLICT, "spec.parentRefs["
              + p.index() + "]: The hostnames intersect those of " + winner.object().kind() + " \""
              + winner.object().namespace() + "/" + winner.object().name() + "\" on listener \""
              + where.name() + "\" of Gateway \"" + where.gateway() + "\", which takes precedence"
              + " (older, or first by namespace/name); an HTTPRoute and a GRPCRoute may not share"
              + " a hostname on one listener."))
          : new ParentResult(left, null);
      return new PendingRoute.Parent(p.index(), p.ref(), result);
    });
  }

  /** A listener of a Gateway, by the name the Gateway serves it under. */
  private record Listener(GatewayRef gateway, String name) {
  }

  /** A route accepted on a listener, with the hostnames it serves there. */
  private record Claim(PendingRoute route, List<String> hostnames) {
  }
}
