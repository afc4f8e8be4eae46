package io.gatehouse.model;

import static java.util.Objects.requireNonNull;

/** Identifies the Gateway a {@link GatewayConfig} was translated from. */
public record GatewayRef(String namespace, String name) implements Comparable<GatewayRef> {
  public GatewayRef {
    requireNonNull(namespace, "namespace");
    requireNonNull(name, "name");
  }

  @Override
  public int compareTo(GatewayRef o) {
    int c = namespace.compareTo(o.namespace);
    return c != 0 ? c : name.compareTo(o.name);
  }

  @Override
  public String toString() {
    return namespace + "/" + name;
  }
}
