package io.gatehouse.conformance;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.standalone.admin.StatusStore;
import java.util.List;
import java.util.Optional;

/** Read access to the objects with their statuses, as the API server would give it. */
interface StatusView {
  Optional<ObjectNode> object(String kind, String namespace, String name);

  List<ObjectNode> objects();

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
    };
  }
}
