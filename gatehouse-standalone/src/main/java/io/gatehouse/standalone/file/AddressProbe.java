package io.gatehouse.standalone.file;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewaySpecAddress;
import io.gatehouse.translator.gateway.GatewayAddresses;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Finds the IP addresses requested in Gateways' {@code spec.addresses} that this host cannot bind,
 * by binding a throw-away socket on an ephemeral port of each (a non-local address fails at once
 * with "cannot assign requested address"). Values that are not IP literals are left to the
 * translator, which reports them; no name is ever looked up.
 */
final class AddressProbe {
  private AddressProbe() {
  }

  /** The requested IPAddress values of {@code gateways} that cannot be bound here. */
  static Set<String> unusable(List<Gateway> gateways) {
    Set<String> out = new TreeSet<>();
    for (Gateway g : gateways) {
      List<GatewaySpecAddress> addresses = g.getSpec() == null ? null : g.getSpec().getAddresses();
      if (addresses == null) {
        continue;
      }
      for (GatewaySpecAddress a : addresses) {
        String value = a.getValue();
        boolean ip = a.getType() == null || "IPAddress".equals(a.getType());
        if (ip && value != null && GatewayAddresses.isIpLiteral(value) && !bindable(value)) {
          out.add(value);
        }
      }
    }
    return out;
  }

  static boolean bindable(String literal) {
    try (ServerSocket socket = new ServerSocket()) {
      // A literal (checked by the caller), so getByName does no DNS lookup.
      socket.bind(new InetSocketAddress(InetAddress.getByName(literal), 0), 1);
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }
}
