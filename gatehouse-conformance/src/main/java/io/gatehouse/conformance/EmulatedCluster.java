package io.gatehouse.conformance;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.conformance.ConfigDirectory.Ref;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the runner plays of a Kubernetes cluster (HARNESS.md §2, §3): applying manifests as files of
 * the {@link ConfigDirectory}, turning Deployments into {@link EchoPods} and keeping the
 * EndpointSlices of selector Services in step with the pods. Layers: {@code base} stays for the
 * whole run, {@code case} is removed after each case. Confined to the runner thread.
 */
final class EmulatedCluster implements AutoCloseable {
  static final String BASE = "base";
  static final String CASE = "case";

  private final ConfigDirectory dir;
  private final EchoPods pods;
  private final Placeholders placeholders;
  private final Map<String, List<Pod>> podsByLayer = new LinkedHashMap<>();
  private final Map<Ref, ObjectNode> changedBase = new LinkedHashMap<>();

  EmulatedCluster(Path configDir, Placeholders placeholders) {
    this.dir = new ConfigDirectory(configDir);
    this.placeholders = placeholders;
    this.pods = new EchoPods(placeholders.generated());
  }

  Placeholders placeholders() {
    return placeholders;
  }

  List<Pod> pods() {
    return pods.pods();
  }

  /** The echo request log lines of the pods labelled {@code app=<app>} in a namespace. */
  List<String> logLines(String namespace, String app) {
    List<String> lines = new ArrayList<>();
    for (Pod p : pods.pods()) {
      if (p.namespace().equals(namespace) && app.equals(p.labels().get("app"))) {
        lines.addAll(pods.logLinesOf(p.name()));
      }
    }
    return lines;
  }

  EchoPods echoPods() {
    return pods;
  }

  /** Applies one manifest file (placeholders substituted) to a layer. */
  void applyFile(String layer, Path file) {
    apply(layer, Yaml.readAll(file));
  }

  /** Creates or updates objects; Deployments become pods. */
  void apply(String layer, List<ObjectNode> docs) {
    List<Pod> newPods = new ArrayList<>();
    for (ObjectNode raw : docs) {
      ObjectNode o = placeholders.apply(raw);
      if (o.path("kind").asText().equals("Deployment")) {
        newPods.addAll(pods.podsOf(o));
      } else {
        put(layer, o);
      }
    }
    if (!newPods.isEmpty()) {
      pods.start(newPods);
      podsByLayer.computeIfAbsent(layer, k -> new ArrayList<>()).addAll(newPods);
    }
    refreshEndpointSlices();
  }

  private void put(String layer, ObjectNode o) {
    Ref ref = Ref.of(o);
    Optional<ObjectNode> existing = dir.get(ref);
    if (existing.isPresent() && !layer.equals(BASE) && isBase(ref)) {
      changedBase.putIfAbsent(ref, existing.get());
      dir.update(ref, o);
    } else {
      dir.put(layer, o);
    }
  }

  private boolean isBase(Ref ref) {
    return dir.layerOf(ref).equals(BASE);
  }

  Optional<ObjectNode> get(Ref ref) {
    return dir.get(ref);
  }

  /** An update action: the changed object is written back to its file. */
  void update(Ref ref, ObjectNode updated) {
    if (dir.layerOf(ref).equals(BASE)) {
      dir.get(ref).ifPresent(o -> changedBase.putIfAbsent(ref, o));
    }
    dir.update(ref, updated);
  }

  /** A delete action. */
  void delete(Ref ref) {
    if (dir.layerOf(ref).equals(BASE)) {
      dir.get(ref).ifPresent(o -> changedBase.putIfAbsent(ref, o));
    }
    dir.delete(ref);
  }

  /**
   * Removes the case layer: its files, its pods, the base objects it changed are restored.
   *
   * @return the objects that must disappear from the gateway's view
   */
  List<Ref> clearCase() {
    List<Ref> gone = dir.clear(CASE);
    pods.stop(podsByLayer.getOrDefault(CASE, List.of()));
    podsByLayer.remove(CASE);
    changedBase.forEach((ref, original) -> dir.put(BASE, original));
    changedBase.clear();
    refreshEndpointSlices();
    return gone;
  }

  /**
   * The {@code fillEndpointSlices} action (HARNESS.md §2, HTTPRouteServiceTypes): the case's IPv4
   * EndpointSlices (those named in {@code names}, or every one without endpoints) get the addresses
   * of the pods labelled {@code app=<app>} in their namespace, as ready endpoints. There are no
   * IPv6 pods, so IPv6 slices stay empty.
   */
  void fillEndpointSlices(String app, com.fasterxml.jackson.databind.JsonNode names) {
    java.util.Set<String> wanted = new java.util.HashSet<>();
    names.forEach(n -> wanted.add(n.asText()));
    for (ObjectNode o : dir.all()) {
      Ref ref = Ref.of(o);
      boolean chosen = wanted.isEmpty()
          ? o.path("endpoints").isEmpty()
          : wanted.contains(ref.name());
      if (!ref.kind().equals("EndpointSlice") || !dir.layerOf(ref).equals(CASE) || !chosen
          || !o.path("addressType").asText("IPv4").equals("IPv4")) {
        continue;
      }
      var endpoints = o.putArray("endpoints");
      for (Pod p : pods.pods()) {
        if (p.namespace().equals(ref.namespace()) && app.equals(p.labels().get("app"))) {
          ObjectNode e = endpoints.addObject();
          e.putArray("addresses").add(p.ip());
          e.putObject("conditions").put("ready", true);
        }
      }
      dir.update(ref, o);
    }
  }

  /** Rewrites the slices of every Service with a selector; unchanged slices are not rewritten. */
  void refreshEndpointSlices() {
    List<Pod> all = pods.pods();
    for (ObjectNode o : dir.all()) {
      if (!o.path("kind").asText().equals("Service")) {
        continue;
      }
      Ref svc = Ref.of(o);
      Optional<ObjectNode> slice = EndpointSlices.of(o, all);
      if (slice.isPresent()) {
        Ref sliceRef = Ref.of(slice.get());
        if (!dir.get(sliceRef).map(s -> s.equals(slice.get())).orElse(false)) {
          dir.put(dir.layerOf(svc), slice.get());
        }
      }
    }
  }

  @Override
  public void close() {
    pods.close();
  }
}
