package io.gatehouse.translator;

import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * The namespace of a namespaced object. Objects read from files may omit {@code
 * metadata.namespace}; like {@code kubectl apply}, the translator then takes {@code default}.
 */
public final class Namespaces {
  /** The namespace assumed when {@code metadata.namespace} is absent. */
  public static final String DEFAULT = "default";

  private Namespaces() {
  }

  /** {@code metadata.namespace}, or {@link #DEFAULT} when absent or empty. */
  public static String of(HasMetadata object) {
    var meta = object.getMetadata();
    String ns = meta == null ? null : meta.getNamespace();
    return ns == null || ns.isEmpty() ? DEFAULT : ns;
  }
}
