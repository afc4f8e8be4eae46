package io.gatehouse.standalone.file;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.gatehouse.translator.ObjectRef;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Fills in the metadata the API server would set: {@code generation}, {@code creationTimestamp} and
 * {@code uid}, remembering them across loads.
 *
 * <ul>
 * <li>generation: 1 when an object is first seen, +1 whenever its spec (everything but
 * {@code apiVersion}, {@code kind}, {@code metadata} and {@code status}) differs from the previous
 * load, unchanged otherwise;
 * <li>creationTimestamp: the time the object was first seen (RFC 3339, seconds);
 * <li>uid: a name-based UUID of kind, namespace and name.
 * </ul>
 * A value written in the file wins. An object that disappears is forgotten: if it comes back it is
 * new, as after a delete and re-create. Confined to the loading thread.
 */
final class MetadataTracker {
  /**
   * What is remembered of an object: its metadata, and the object itself (also held by the
   * snapshot, never modified once stamped) to compare specs with, rather than a tree of its spec.
   */
  private record Entry(String creationTimestamp, long generation, HasMetadata object) {
  }

  private final Clock clock;
  private final ObjectMapper json;
  private Map<ObjectRef, Entry> entries = new HashMap<>();

  MetadataTracker(Clock clock, ObjectMapper json) {
    this.clock = clock;
    this.json = json;
  }

  /**
   * Returns every object with its metadata filled in, and forgets objects not given. Objects whose
   * ref is in {@code fresh} (just parsed, not handed out yet) are filled in place; the others may
   * be shared with earlier snapshots and are copied first.
   */
  Map<ObjectRef, HasMetadata> stamp(Map<ObjectRef, HasMetadata> objects, Set<ObjectRef> fresh) {
    String now = DateTimeFormatter.ISO_INSTANT
        .format(Instant.now(clock).truncatedTo(ChronoUnit.SECONDS));
    Map<ObjectRef, Entry> next = new HashMap<>();
    Map<ObjectRef, HasMetadata> stamped = new HashMap<>();
    objects.forEach((ref, object) -> {
      HasMetadata copy = fresh.contains(ref)
          ? object
          : json.convertValue(object, object.getClass());
      Entry entry = entryFor(ref, copy, entries.get(ref), now);
      ObjectMeta meta = copy.getMetadata();
      meta.setGeneration(entry.generation());
      meta.setCreationTimestamp(entry.creationTimestamp());
      if (meta.getUid() == null) {
        meta.setUid(uid(ref));
      }
      next.put(ref, entry);
      stamped.put(ref, copy);
    });
    entries = next;
    return stamped;
  }

  private Entry entryFor(ObjectRef ref, HasMetadata object, Entry previous, String now) {
    ObjectMeta meta = object.getMetadata();
    long generation;
    if (meta.getGeneration() != null) {
      generation = meta.getGeneration();
    } else if (previous == null) {
      generation = 1;
    } else {
      generation = specOf(previous.object()).equals(specOf(object))
          ? previous.generation()
          : previous.generation() + 1;
    }
    String created = meta.getCreationTimestamp() != null
        ? meta.getCreationTimestamp()
        : previous != null ? previous.creationTimestamp() : now;
    return new Entry(created, generation, object);
  }

  private JsonNode specOf(HasMetadata object) {
    ObjectNode tree = json.valueToTree(object);
    tree.remove("apiVersion");
    tree.remove("kind");
    tree.remove("metadata");
    tree.remove("status");
    return tree;
  }

  static String uid(ObjectRef ref) {
    return UUID.nameUUIDFromBytes(ref.toString().getBytes(StandardCharsets.UTF_8)).toString();
  }
}
