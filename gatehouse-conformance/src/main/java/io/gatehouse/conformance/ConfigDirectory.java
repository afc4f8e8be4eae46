package io.gatehouse.conformance;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The standalone gateway's configuration directory as the runner's API server: one file per object
 * ({@code <layer>/<kind>.<namespace>.<name>.yaml}), so that create, update and delete are file
 * writes and deletions. Layers: {@code base} (setup, stays) and {@code case} (removed after each
 * case). Confined to the runner thread.
 */
final class ConfigDirectory {
  /** Identity of an object: kind, namespace ("" when cluster-scoped), name. */
  record Ref(String kind, String namespace, String name) {
    static Ref of(ObjectNode o) {
      return new Ref(Yaml.text(o, "kind"), Yaml.text(o.path("metadata"), "namespace"),
          Yaml.text(o.path("metadata"), "name"));
    }

    @Override
    public String toString() {
      return kind + " " + (namespace.isEmpty() ? "" : namespace + "/") + name;
    }
  }

  private final Path root;
  private final Map<Ref, ObjectNode> objects = new LinkedHashMap<>();
  private final Map<Ref, String> layers = new LinkedHashMap<>();

  ConfigDirectory(Path root) {
    this.root = root;
  }

  Path root() {
    return root;
  }

  /** Creates or replaces the object in a layer. */
  void put(String layer, ObjectNode object) {
    Ref ref = Ref.of(object);
    String old = layers.get(ref);
    if (old != null && !old.equals(layer)) {
      delete(ref);
    }
    objects.put(ref, object.deepCopy());
    layers.put(ref, layer);
    Yaml.write(file(layer, ref), List.of(object));
  }

  /** The layer holding the object, "" if none. */
  String layerOf(Ref ref) {
    return layers.getOrDefault(ref, "");
  }

  Optional<ObjectNode> get(Ref ref) {
    return Optional.ofNullable(objects.get(ref)).map(ObjectNode::deepCopy);
  }

  /** Rewrites the object's file with the updated content (same layer). */
  void update(Ref ref, ObjectNode updated) {
    String layer = layers.get(ref);
    if (layer == null) {
      throw new IllegalArgumentException(ref + " does not exist");
    }
    put(layer, updated);
  }

  void delete(Ref ref) {
    String layer = layers.remove(ref);
    objects.remove(ref);
    if (layer != null) {
      try {
        Files.deleteIfExists(file(layer, ref));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** Deletes every object of a layer; returns what was deleted. */
  List<Ref> clear(String layer) {
    List<Ref> gone = new ArrayList<>();
    layers.forEach((ref, l) -> {
      if (l.equals(layer)) {
        gone.add(ref);
      }
    });
    gone.forEach(this::delete);
    return gone;
  }

  List<ObjectNode> all() {
    return objects.values().stream().map(ObjectNode::deepCopy).toList();
  }

  private Path file(String layer, Ref ref) {
    String name = (ref.kind() + "." + (ref.namespace().isEmpty() ? "_" : ref.namespace()) + "."
        + ref.name()).replaceAll("[^A-Za-z0-9._-]", "_");
    if (name.length() > 200) {
      name = name.substring(0, 180) + "-" + PodNames.hash(name, 10);
    }
    return root.resolve(layer).resolve(name + ".yaml");
  }
}
