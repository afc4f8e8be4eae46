package io.gatehouse.translator;

import static java.util.Objects.requireNonNull;

/**
 * Names one Kubernetes object: its kind, namespace ({@code ""} for cluster-scoped kinds) and name.
 */
public record ObjectRef(String kind, String namespace,
    String name) implements Comparable<ObjectRef> {
  public ObjectRef {
    requireNonNull(kind, "kind");
    requireNonNull(namespace, "namespace");
    requireNonNull(name, "name");
  }

  @Override
  public int compareTo(ObjectRef o) {
    int c = kind.compareTo(o.kind);
    if (c == 0) {
      c = namespace.compareTo(o.namespace);
    }
    return c != 0 ? c : name.compareTo(o.name);
  }

  @Override
  public String toString() {
    return namespace.isEmpty() ? kind + "/" + name : kind + "/" + namespace + "/" + name;
  }
}
