package io.gatehouse.standalone.admin;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.gatehouse.model.GatewayConfig;
import io.gatehouse.proxy.BindFailure;
import io.gatehouse.standalone.file.FileError;
import io.gatehouse.standalone.file.SourceSnapshot;
import io.gatehouse.translator.ObjectRef;
import io.gatehouse.translator.StatusUpdate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What standalone mode shows on the admin API: the loaded objects with their computed statuses, the
 * applied configuration and the errors. It plays the part of the API server's status subresource:
 * it owns {@code lastTransitionTime} (see {@link TransitionTimes}) and ignores updates that change
 * nothing.
 *
 * <p>
 * Thread-safe: writers (the loading thread) and readers (admin requests) synchronise on the store;
 * everything handed out is a copy.
 */
public final class StatusStore {
  private final Clock clock;
  private final ObjectMapper json = AdminJson.mapper();
  private List<HasMetadata> objects = List.of();
  /**
   * The statuses as compact JSON rather than trees (a tree of a route's status is several times
   * larger); parsed again when needed, which is per update and per admin request.
   */
  private Map<ObjectRef, byte[]> statuses = Map.of();
  private List<FileError> errors = List.of();
  private List<FileError> warnings = List.of();
  private List<GatewayConfig> config = List.of();
  private List<BindFailure> bindFailures = List.of();
  private long loadGeneration;
  private long appliedGeneration;
  private long version;

  public StatusStore() {
    this(Clock.systemUTC());
  }

  /** A store that takes transition times from {@code clock}. */
  public StatusStore(Clock clock) {
    this.clock = requireNonNull(clock, "clock");
  }

  /** Records the objects, errors and load generation of a file load. */
  public synchronized void updateObjects(SourceSnapshot snapshot) {
    objects = snapshot.objects();
    errors = snapshot.errors();
    warnings = snapshot.warnings();
    loadGeneration = snapshot.loadGeneration();
    version++;
  }

  /**
   * Replaces the computed statuses with those of one translation, stamping transition times.
   * Objects that got no status lose the one they had.
   *
   * @return how many objects' statuses changed (0 when the update changes nothing, in which case
   * the store is left as it was)
   */
  public synchronized int updateStatuses(List<StatusUpdate> updates) {
    String now = DateTimeFormatter.ISO_INSTANT
        .format(Instant.now(clock).truncatedTo(ChronoUnit.SECONDS));
    Map<ObjectRef, byte[]> next = new HashMap<>();
    int changed = 0;
    for (StatusUpdate u : updates) {
      byte[] previous = statuses.get(u.object());
      JsonNode status = json.valueToTree(u.status());
      TransitionTimes.stamp(previous == null ? null : tree(previous), status, now);
      byte[] compact = bytes(status);
      // Same serializer, same field order: equal bytes exactly when the trees are equal.
      changed += Arrays.equals(compact, previous) ? 0 : 1;
      next.put(u.object(), compact);
    }
    changed += (int) statuses.keySet().stream().filter(ref -> !next.containsKey(ref)).count();
    if (changed > 0) {
      statuses = next;
      version++;
    }
    return changed;
  }

  /** Records that {@code gateways} were applied to the proxy as {@code generation}. */
  public synchronized void updateApplied(long generation, List<GatewayConfig> gateways,
      List<BindFailure> failures) {
    appliedGeneration = generation;
    config = List.copyOf(gateways);
    bindFailures = List.copyOf(failures);
    version++;
  }

  /**
   * Records a load that was translated and applied, all at once, so that readers never see the
   * objects of one load with the statuses or generation of another.
   */
  public synchronized void updateGeneration(SourceSnapshot snapshot, List<StatusUpdate> updates,
      long generation, List<GatewayConfig> gateways, List<BindFailure> failures) {
    updateStatuses(updates);
    updateObjects(snapshot);
    updateApplied(generation, gateways, failures);
  }

  /** True once a configuration has been applied to the proxy. */
  public synchronized boolean ready() {
    return appliedGeneration > 0;
  }

  /** The generation last applied to the proxy, 0 before the first. */
  public synchronized long appliedGeneration() {
    return appliedGeneration;
  }

  /** The generation of the last file load, 0 before the first. */
  public synchronized long loadGeneration() {
    return loadGeneration;
  }

  /** Grows by one on every update that changed something. */
  public synchronized long version() {
    return version;
  }

  /** The computed status of one object, with transition times. */
  public synchronized Optional<JsonNode> status(ObjectRef ref) {
    return Optional.ofNullable(statuses.get(ref)).map(this::tree);
  }

  /**
   * Every loaded object as kubectl would print it, with its computed status if it has one, then the
   * objects generated for our Gateways ({@link GeneratedObjects}).
   */
  public synchronized List<ObjectNode> objects() {
    List<ObjectNode> result = new ArrayList<>(objects.size());
    for (HasMetadata o : objects) {
      result.add(render(o));
    }
    for (HasMetadata o : generated()) {
      result.add(render(o));
    }
    return result;
  }

  /**
   * One object by kind (case-insensitive), namespace ({@code ""} for cluster-scoped kinds) and
   * name.
   */
  public synchronized Optional<ObjectNode> object(String kind, String namespace, String name) {
    return java.util.stream.Stream.concat(objects.stream(), generated().stream())
        .filter(o -> o.getKind().equalsIgnoreCase(kind) && o.getMetadata().getName().equals(name)
            && namespace.equals(nullToEmpty(o.getMetadata().getNamespace())))
        .findFirst()
        .map(this::render);
  }

  public synchronized List<GatewayConfig> config() {
    return config;
  }

  public synchronized List<FileError> errors() {
    return errors;
  }

  public synchronized List<FileError> warnings() {
    return warnings;
  }

  public synchronized List<BindFailure> bindFailures() {
    return bindFailures;
  }

  /**
   * The objects generated for the Gateways that have a status (only ours get one); generated
   * objects never shadow loaded objects of the same kind and name.
   */
  private List<HasMetadata> generated() {
    List<HasMetadata> out = new ArrayList<>();
    for (HasMetadata o : objects) {
      if (o instanceof Gateway g && statuses.containsKey(new ObjectRef("Gateway",
          nullToEmpty(g.getMetadata().getNamespace()), g.getMetadata().getName()))) {
        for (HasMetadata generated : GeneratedObjects.of(g)) {
          if (objects.stream().noneMatch(x -> x.getKind().equals(generated.getKind())
              && x.getMetadata().getName().equals(generated.getMetadata().getName())
              && nullToEmpty(x.getMetadata().getNamespace())
                  .equals(nullToEmpty(generated.getMetadata().getNamespace())))) {
            out.add(generated);
          }
        }
      }
    }
    return out;
  }

  private ObjectNode render(HasMetadata o) {
    ObjectNode tree = json.valueToTree(o);
    ObjectRef ref = new ObjectRef(o.getKind(), nullToEmpty(o.getMetadata().getNamespace()),
        o.getMetadata().getName());
    byte[] status = statuses.get(ref);
    if (status != null) {
      tree.set("status", tree(status));
    }
    return tree;
  }

  private JsonNode tree(byte[] status) {
    try {
      return json.readTree(status);
    } catch (IOException e) {
      throw new UncheckedIOException("re-reading a status this store wrote", e);
    }
  }

  private byte[] bytes(JsonNode status) {
    try {
      return json.writeValueAsBytes(status);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("writing a status tree", e);
    }
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}
