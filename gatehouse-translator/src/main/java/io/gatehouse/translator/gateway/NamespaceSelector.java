package io.gatehouse.translator.gateway;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.Namespace;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Matches Kubernetes label selectors against Namespace labels. Every namespace carries
 * {@code kubernetes.io/metadata.name: <name>}, as the API server guarantees, even when the snapshot
 * has no Namespace object for it.
 */
public final class NamespaceSelector {
  private static final String NAME_LABEL = "kubernetes.io/metadata.name";

  private final Map<String, Map<String, String>> labels = new HashMap<>();

  public NamespaceSelector(List<Namespace> namespaces) {
    for (Namespace ns : namespaces) {
      Map<String, String> l = ns.getMetadata().getLabels();
      labels.put(ns.getMetadata().getName(), l == null ? Map.of() : Map.copyOf(l));
    }
  }

  /** Whether {@code namespace} matches {@code selector}; an empty selector matches everything. */
  public boolean matches(LabelSelector selector, String namespace) {
    Map<String, String> l = new HashMap<>(labels.getOrDefault(namespace, Map.of()));
    l.put(NAME_LABEL, namespace);
    if (selector.getMatchLabels() != null) {
      for (var e : selector.getMatchLabels().entrySet()) {
        if (!e.getValue().equals(l.get(e.getKey()))) {
          return false;
        }
      }
    }
    if (selector.getMatchExpressions() != null) {
      for (LabelSelectorRequirement r : selector.getMatchExpressions()) {
        if (!matches(r, l)) {
          return false;
        }
      }
    }
    return true;
  }

  private static boolean matches(LabelSelectorRequirement r, Map<String, String> labels) {
    String value = labels.get(r.getKey());
    List<String> values = r.getValues() == null ? List.of() : r.getValues();
    return switch (r.getOperator() == null ? "" : r.getOperator()) {
      case "In" -> value != null && values.contains(value);
      case "NotIn" -> value == null || !values.contains(value);
      case "Exists" -> value != null;
      case "DoesNotExist" -> value == null;
      default -> false; // an unknown operator selects nothing rather than everything
    };
  }
}
