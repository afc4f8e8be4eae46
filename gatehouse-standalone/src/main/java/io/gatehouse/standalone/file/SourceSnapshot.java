package io.gatehouse.standalone.file;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.gatehouse.translator.ResourceSnapshot;
import java.util.List;

/**
 * The result of one load of the configuration directory.
 *
 * @param loadGeneration 1 for the first load, +1 for every later one
 * @param resources what the translator consumes
 * @param objects every loaded object (including kinds the translator does not consume, such as
 * ConfigMaps, and the implicit Namespaces), with defaults applied, sorted by kind, namespace and
 * name; read-only
 * @param errors files or documents that could not be loaded, duplicates, exhausted address pool
 * @param warnings documents that were ignored on purpose (unknown kinds)
 */
public record SourceSnapshot(long loadGeneration, ResourceSnapshot resources,
    List<HasMetadata> objects, List<FileError> errors, List<FileError> warnings) {
  public SourceSnapshot {
    requireNonNull(resources, "resources");
    objects = List.copyOf(objects);
    errors = List.copyOf(errors);
    warnings = List.copyOf(warnings);
  }
}
