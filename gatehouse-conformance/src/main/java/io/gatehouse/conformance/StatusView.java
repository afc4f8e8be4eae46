package io.gatehouse.conformance;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.standalone.admin.StatusStore;
import java.util.List;
import java.util.Optional;

/** Read access to the objects with their statuses, as the API server would give it. */
interface StatusView {
  Optional<ObjectNode> object(String kind, String namespace, String name);

  List<ObjectNode> objects();

  /** Problems the gateway reported for files of the configuration directory (errors, warnings). */
  default List<String> fileProblems() {
    return List.of();
  }

  static StatusView of(StatusStore store) {
    return new StatusView() {
      @Override
      public Optional<ObjectNode> object(String kind, String namespace, String name) {
        return store.object(kind, namespace, name);
      }

      @Override
      public List<ObjectNode> objects() {
        return store.objects();
      }

      @Override
      public List<String> fileProblems() {
        List<String> out = new java.util.ArrayList<>();
        store.errors().forEach(e -> out.add(e.toString()));
        store.warnings().forEach(e -> out.add(e.toString()));
        return out;
      }
    };
  }
}
