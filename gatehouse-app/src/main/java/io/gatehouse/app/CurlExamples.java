package io.gatehouse.app;

import io.gatehouse.model.GatewayConfig;
import io.gatehouse.model.HttpListener;
import io.gatehouse.model.HttpsListener;
import io.gatehouse.model.UdpListener;
import io.gatehouse.model.Listener;
import io.gatehouse.model.TcpListener;
import io.gatehouse.model.TlsMixedListener;
import io.gatehouse.model.TlsPassthroughListener;
import io.gatehouse.model.TlsTerminateListener;
import io.gatehouse.model.PathMatch;
import io.gatehouse.model.Route;
import io.gatehouse.model.VirtualHost;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Derives one curl command per (host, path) a configuration serves, for the demo's welcome text.
 */
final class CurlExamples {
  private CurlExamples() {
  }

  static List<String> of(List<GatewayConfig> gateways, int portOffset) {
    Set<String> lines = new LinkedHashSet<>();
    for (GatewayConfig gateway : gateways) {
      for (Listener listener : gateway.listeners()) {
        switch (listener) {
          case HttpListener http -> add(lines, "http", http.address(), http.port() + portOffset,
              http.virtualHosts());
          case HttpsListener https -> add(lines, "https", https.address(),
              https.port() + portOffset, https.virtualHosts());
          // TCP, TLS and UDP listeners are not HTTP: curl has nothing to show for them.
          case TcpListener tcp -> {
          }
          case TlsPassthroughListener tls -> {
          }
          case TlsTerminateListener tls -> {
          }
          case TlsMixedListener tls -> {
          }
          case UdpListener udp -> {
          }
        }
      }
    }
    return List.copyOf(lines);
  }

  private static void add(Set<String> lines, String scheme, String address, int port,
      List<VirtualHost> virtualHosts) {
    for (VirtualHost vhost : virtualHosts) {
      for (String hostname : vhost.hostnames()) {
        String name = hostname.replace("*", "demo");
        // Over TLS the name must be in the URL (it is the SNI): --resolve points it at the address.
        String target = scheme.equals("https")
            ? " -k --resolve " + name + ":" + port + ":" + address + " https://" + name + ":" + port
            : (hostname.equals("*") ? "" : " -H 'Host: " + name + "'") + " http://" + address + ":"
                + port;
        for (Route route : vhost.routes()) {
          if (!(route.match().path() instanceof PathMatch.Regex)) {
            lines.add("curl -s" + target + route.match().path().value());
          }
        }
      }
    }
  }
}
