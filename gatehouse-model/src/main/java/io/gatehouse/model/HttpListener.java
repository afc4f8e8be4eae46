package io.gatehouse.model;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A cleartext HTTP listener. Requests choose a virtual host by their {@code Host} header: an exact
 * hostname first, then the longest matching wildcard suffix, then the catch-all {@code *}.
 *
 * @param virtualHosts in no particular order; hostnames are unique across them
 */
public record HttpListener(String name, String address, int port, List<VirtualHost> virtualHosts)
    implements
      Listener {
  public HttpListener {
    requireNonNull(name, "name");
    requireNonNull(address, "address");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    virtualHosts = List.copyOf(virtualHosts);
  }
}
