package io.gatehouse.model;

import static java.util.Objects.requireNonNull;

/**
 * One upstream address.
 *
 * @param address an IP address literal, or a hostname resolved off the event loop
 * @param weight relative weight within the cluster, at least 1
 */
public record Endpoint(String address, int port, int weight) {
  public Endpoint {
    requireNonNull(address, "address");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    if (weight < 1) {
      throw new IllegalArgumentException("weight < 1");
    }
  }
}
