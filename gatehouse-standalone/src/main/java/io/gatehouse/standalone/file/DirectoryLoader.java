package io.gatehouse.standalone.file;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.BackendTLSPolicy;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.TCPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.TLSRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.UDPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerSet;
import io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrant;
import io.gatehouse.standalone.file.ManifestReader.Document;
import io.gatehouse.translator.gateway.GatewayAddresses;
import io.gatehouse.translator.ObjectRef;
import io.gatehouse.translator.ResourceSnapshot;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Loads the whole configuration directory into a {@link SourceSnapshot}, one call per load.
 *
 * <p>
 * The steps, in order: list the files; read each one, keeping a file's last good objects when it
 * fails now; merge, first file by path winning over duplicates; add implicit Namespaces; fill in
 * server-side metadata; assign Gateway addresses and find the requested ones this host cannot bind.
 * Not thread-safe: one loading thread at a time.
 */
final class DirectoryLoader {
  /** How a file looked when listed; a change in either field means the file changed. */
  record FileStamp(long modifiedNanos, long size) {
  }

  static final String NAMESPACE_LABEL = "kubernetes.io/metadata.name";

  private static final ObjectMapper JSON = JsonMapper.builder()
      .addModule(new Jdk8Module())
      .addModule(new JavaTimeModule())
      .addModule(new Fabric8Module())
      .build();

  private final Path root;
  private final Path base;
  private final ManifestReader reader = new ManifestReader();
  private final MetadataTracker metadata;
  private final GatewayAddressAllocator addresses;
  private final Map<String, List<Document>> lastGood = new HashMap<>();
  private @Nullable SortedMap<String, FileStamp> loadedFiles = new TreeMap<>();
  private long generation;

  /**
   * @param root the directory to load, or a single file (loaded whatever its extension)
   */
  DirectoryLoader(Path root, FileSourceOptions options) {
    this.root = root;
    this.base = Files.isRegularFile(root) ? root.toAbsolutePath().getParent() : root;
    this.metadata = new MetadataTracker(options.clock(), JSON);
    this.addresses = new GatewayAddressAllocator(options.firstAddress(), options.lastAddress());
  }

  /** The files as of the last {@link #load}, or null if the directory could not be listed. */
  @Nullable
  SortedMap<String, FileStamp> loadedFiles() {
    return loadedFiles;
  }

  /**
   * {@link #scan}, or null if the directory cannot be listed (compares with {@link #loadedFiles}).
   */
  @Nullable
  SortedMap<String, FileStamp> scanQuietly() {
    try {
      return scan();
    } catch (IOException e) {
      return null;
    }
  }

  SourceSnapshot load() {
    List<FileError> errors = new ArrayList<>();
    List<FileError> warnings = new ArrayList<>();
    Set<String> freshFiles = new HashSet<>();
    try {
      loadedFiles = scan();
      readFiles(loadedFiles.keySet(), errors, warnings, freshFiles);
    } catch (IOException e) {
      loadedFiles = null;
      // Keep serving the last good objects of every file rather than dropping everything.
      errors.add(new FileError(".", 0, 0, "Cannot list " + root + ": " + e + "."));
    }
    // Objects just parsed are stamped in place: one copy of each object, shared by the file's last
    // good objects and the snapshot. Objects kept from earlier loads are copied before stamping.
    Set<ObjectRef> fresh = new HashSet<>();
    Map<ObjectRef, HasMetadata> merged = merge(errors, freshFiles, fresh);
    addImplicitNamespaces(merged, fresh);
    Map<ObjectRef, HasMetadata> stamped = metadata.stamp(merged, fresh);
    stamped.forEach((ref, o) -> {
      if (o instanceof Namespace ns) {
        Map<String, String> labels = new TreeMap<>();
        if (ns.getMetadata().getLabels() != null) {
          labels.putAll(ns.getMetadata().getLabels());
        }
        labels.put(NAMESPACE_LABEL, ref.name());
        ns.getMetadata().setLabels(labels);
      }
    });
    List<HasMetadata> objects = new TreeMap<>(stamped).values().stream().toList();
    Map<String, String> gatewayAddresses = assignAddresses(objects, errors);
    generation++;
    Set<String> unusable = AddressProbe.unusable(of(objects, Gateway.class));
    return new SourceSnapshot(generation, resources(objects, gatewayAddresses, unusable), objects,
        errors,
        warnings);
  }

  /** Lists every {@code *.yaml} and {@code *.yml} file, skipping hidden files and directories. */
  SortedMap<String, FileStamp> scan() throws IOException {
    SortedMap<String, FileStamp> files = new TreeMap<>();
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
        // Hidden directories include Kubernetes' "..data" of a mounted ConfigMap, whose files are
        // also linked from the top level and would otherwise load twice.
        return !dir.equals(root) && hidden(dir)
            ? FileVisitResult.SKIP_SUBTREE
            : FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        String name = file.getFileName().toString();
        if (file.equals(root)
            || !hidden(file) && (name.endsWith(".yaml") || name.endsWith(".yml"))) {
          BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
          if (a.isRegularFile()) {
            files.put(relative(file),
                new FileStamp(a.lastModifiedTime().toInstant().getEpochSecond()
                    * 1_000_000_000L + a.lastModifiedTime().toInstant().getNano(), a.size()));
          }
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
        if (file.equals(root)) {
          throw e; // the whole directory is gone or unreadable: not the same as empty
        }
        return FileVisitResult.CONTINUE; // deleted while listing
      }
    });
    return files;
  }

  private void readFiles(Set<String> files, List<FileError> errors, List<FileError> warnings,
      Set<String> freshFiles) {
    lastGood.keySet().retainAll(files);
    for (String path : files) {
      ManifestReader.Result result;
      try {
        result = reader.read(path, Files.readAllBytes(base.resolve(path)));
      } catch (IOException e) {
        result = new ManifestReader.Result(List.of(),
            List.of(new FileError(path, 0, 0, "Cannot read: " + e + ".")), List.of());
      }
      errors.addAll(result.errors());
      warnings.addAll(result.warnings());
      if (!result.failed()) {
        lastGood.put(path, result.documents());
        freshFiles.add(path);
      }
    }
  }

  /** Merges the files' objects; the first definition by path (then document order) wins. */
  private Map<ObjectRef, HasMetadata> merge(List<FileError> errors, Set<String> freshFiles,
      Set<ObjectRef> fresh) {
    Map<ObjectRef, String> origin = new HashMap<>();
    Map<ObjectRef, HasMetadata> merged = new LinkedHashMap<>();
    for (String path : new TreeSet<>(lastGood.keySet())) {
      for (Document d : lastGood.get(path)) {
        String where = path + ":" + d.line();
        String first = origin.putIfAbsent(d.ref(), where);
        if (first != null) {
          errors.add(new FileError(path, d.line(), d.column(),
              d.ref() + " is already defined at " + first + "; this definition is ignored."));
        } else {
          merged.put(d.ref(), d.object());
          if (freshFiles.contains(path)) {
            fresh.add(d.ref());
          }
        }
      }
    }
    return merged;
  }

  /** Kubernetes requires a namespace to exist; files usually leave them out. */
  private static void addImplicitNamespaces(Map<ObjectRef, HasMetadata> objects,
      Set<ObjectRef> fresh) {
    Set<String> used = objects.keySet().stream()
        .map(ObjectRef::namespace)
        .filter(ns -> !ns.isEmpty())
        .collect(Collectors.toCollection(TreeSet::new));
    for (String ns : used) {
      ObjectRef ref = new ObjectRef("Namespace", "", ns);
      if (!objects.containsKey(ref)) {
        objects.put(ref, new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata()
            .build());
        fresh.add(ref);
      }
    }
  }

  private Map<String, String> assignAddresses(List<HasMetadata> objects, List<FileError> errors) {
    List<Gateway> gateways = objects.stream()
        .filter(Gateway.class::isInstance)
        .map(Gateway.class::cast)
        .toList();
    Map<String, String> assigned = addresses.assign(gateways);
    for (Gateway g : gateways) {
      boolean explicit = g.getSpec() != null
          && GatewayAddresses.requestsIp(g.getSpec().getAddresses());
      String key = GatewayAddressAllocator.key(g);
      if (!explicit && !assigned.containsKey(key)) {
        errors.add(new FileError(originOf("Gateway", g), 0, 0,
            "Gateway " + key + ": no free address left in the pool; it is not served."));
      }
    }
    return assigned;
  }

  private String originOf(String kind, HasMetadata object) {
    ObjectRef ref = new ObjectRef(kind, object.getMetadata().getNamespace(),
        object.getMetadata().getName());
    return lastGood.entrySet().stream()
        .filter(e -> e.getValue().stream().anyMatch(d -> d.ref().equals(ref)))
        .map(Map.Entry::getKey)
        .sorted()
        .findFirst()
        .orElse(".");
  }

  private static ResourceSnapshot resources(List<HasMetadata> objects,
      Map<String, String> gatewayAddresses, Set<String> unusableAddresses) {
    return new ResourceSnapshot(of(objects, GatewayClass.class), of(objects, Gateway.class),
        of(objects, HTTPRoute.class), of(objects, ReferenceGrant.class),
        of(objects, Namespace.class), of(objects, Service.class),
        of(objects, EndpointSlice.class), of(objects, Secret.class),
        of(objects, GenericKubernetesResource.class), gatewayAddresses, unusableAddresses,
        of(objects, ListenerSet.class), of(objects, ConfigMap.class),
        of(objects, BackendTLSPolicy.class), of(objects, TCPRoute.class),
        of(objects, TLSRoute.class), of(objects, UDPRoute.class), of(objects, GRPCRoute.class));
  }

  private static <T> List<T> of(List<HasMetadata> objects, Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  private String relative(Path file) {
    return base.relativize(file).toString().replace('\\', '/');
  }

  private static boolean hidden(Path p) {
    return p.getFileName() != null && p.getFileName().toString().startsWith(".");
  }
}
