package io.gatehouse.translator.gateway;

import io.gatehouse.translator.status.Problem;
import io.gatehouse.translator.status.Reason;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Marks listeners that cannot share their port: different protocols on one port are a
 * ProtocolConflict (UDP ports are counted apart from TCP ones), and so is HTTPS with TLS, since one
 * port either terminates TLS for HTTP or serves TLSRoutes; such a listener supports no route kind.
 * TLS listeners of both modes share a port (TLSRouteModeMixed): the SNI decides per connection. The
 * same hostname twice on one port is a HostnameConflict. A conflicted listener is not served at
 * all. Listeners that are not accepted (unsupported protocol, bad port) bind nothing and conflict
 * with nobody.
 */
final class ListenerConflicts {
  private ListenerConflicts() {
  }

  static List<ValidatedListener> markConflicts(List<ValidatedListener> listeners) {
    List<ValidatedListener> out = new ArrayList<>();
    for (ValidatedListener l : listeners) {
      out.add(conflict(l, listeners));
    }
    return out;
  }

  private static ValidatedListener conflict(ValidatedListener l, List<ValidatedListener> all) {
    if (l.notAccepted() != null || l.conflict() != null) {
      return l;
    }
    Set<String> protocols = new TreeSet<>();
    List<String> sameHost = new ArrayList<>();
    for (ValidatedListener o : all) {
      // UDP ports are a space of their own: a UDP and a TCP listener may share a number.
      if (o.port() != l.port() || o.notAccepted() != null || o.conflict() != null
          || o.protocol().equals("UDP") != l.protocol().equals("UDP")) {
        continue;
      }
      protocols.add(o.protocol());
      if (o != l && o.protocol().equals(l.protocol()) && o.hostname().equals(l.hostname())) {
        sameHost.add("spec.listeners[" + o.index() + "]");
      }
    }
    String path = "spec.listeners[" + l.index() + "]";
    Problem problem = null;
    if (protocols.size() > 1) {
      problem = new Problem(Reason.PROTOCOL_CONFLICT, path + ".port: Port " + l.port()
          + " is used with different protocols " + protocols + ".");
      if (protocols.stream().anyMatch(p -> p.startsWith("TLS"))) {
        return l.withModeConflict(problem);
      }
    } else if (!sameHost.isEmpty()) {
      problem = new Problem(Reason.HOSTNAME_CONFLICT, path + ".hostname: Hostname \""
          + l.hostname() + "\" on port " + l.port() + " is also used by "
          + String.join(", ", sameHost) + ".");
    }
    return problem == null
        ? l
        : l.withConflict(problem);
  }
}
