package io.gatehouse.standalone.file;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonMappingException.Reference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Secret;
import io.gatehouse.translator.ObjectRef;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads one multi-document YAML file into typed fabric8 objects.
 *
 * <p>
 * Two passes over the bytes: the first reads each document as a tree to learn its kind, the second
 * binds each known document straight from the parser, so that binding errors (an unknown field, a
 * string where a list belongs) carry the line and column of the offending value.
 */
final class ManifestReader {
  /** One object and where its document starts. */
  record Document(HasMetadata object, ObjectRef ref, int line, int column) {
  }

  /**
   * What one file held. The file counts as failed when {@code errors} is not empty; its documents
   * are then not used.
   */
  record Result(List<Document> documents, List<FileError> errors, List<FileError> warnings) {
    boolean failed() {
      return !errors.isEmpty();
    }
  }

  // Thread-safe once configured; shared so that fabric8 classes are introspected once per process.
  private static final ObjectMapper MAPPER = ManifestMapper.create();

  Result read(String path, byte[] bytes) {
    List<FileError> errors = new ArrayList<>();
    List<FileError> warnings = new ArrayList<>();
    List<JsonNode> trees = new ArrayList<>();
    List<JsonLocation> starts = new ArrayList<>();
    try (JsonParser p = MAPPER.createParser(bytes)) {
      for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
        starts.add(p.currentTokenLocation());
        trees.add(MAPPER.readTree(p));
      }
    } catch (JacksonException e) {
      return new Result(List.of(), List.of(error(path, e, e.getOriginalMessage())), List.of());
    } catch (IOException e) {
      return new Result(List.of(), List.of(new FileError(path, 0, 0, e.toString())), List.of());
    }
    List<Document> documents = new ArrayList<>();
    try (JsonParser p = MAPPER.createParser(bytes)) {
      for (int i = 0; i < trees.size(); i++) {
        p.nextToken();
        JsonLocation at = starts.get(i);
        Optional<KindRegistry.Kind> kind = kindOf(path, trees.get(i), at, errors, warnings);
        if (kind.isEmpty()) {
          p.skipChildren();
          continue;
        }
        try {
          HasMetadata object = MAPPER.readValue(p, kind.get().type());
          checkMetadata(path, object, kind.get(), at, errors)
              .ifPresent(ref -> documents.add(new Document(object, ref, line(at), column(at))));
        } catch (UnrecognizedPropertyException e) {
          errors.add(unknownField(path, bytes, line(at), e, bindingMessage(kind.get(), e)));
          return new Result(List.of(), errors, warnings);
        } catch (JsonMappingException e) {
          errors.add(error(path, e, bindingMessage(kind.get(), e)));
          return new Result(List.of(), errors, warnings);
        }
      }
    } catch (IOException e) {
      errors.add(new FileError(path, 0, 0, e.toString()));
    }
    return new Result(errors.isEmpty() ? documents : List.of(), errors, warnings);
  }

  private static Optional<KindRegistry.Kind> kindOf(String path, JsonNode tree, JsonLocation at,
      List<FileError> errors, List<FileError> warnings) {
    if (tree == null || tree.isNull() || tree.isMissingNode()) {
      return Optional.empty(); // an empty document, e.g. a trailing "---"
    }
    if (!tree.isObject()) {
      errors.add(at(path, at, "Document is not a mapping."));
      return Optional.empty();
    }
    String apiVersion = tree.path("apiVersion").asText("");
    String kind = tree.path("kind").asText("");
    if (apiVersion.isEmpty() || kind.isEmpty()) {
      errors.add(at(path, at, "Document has no apiVersion or kind."));
      return Optional.empty();
    }
    Optional<KindRegistry.Kind> found = KindRegistry.find(apiVersion, kind);
    if (found.isEmpty()) {
      warnings.add(at(path, at,
          "Unknown kind \"" + kind + "\" (apiVersion \"" + apiVersion + "\"); ignored."));
    }
    return found;
  }

  /**
   * Checks the name and applies the API server's defaults: namespace, stored apiVersion, Secret
   * {@code stringData}.
   */
  private static Optional<ObjectRef> checkMetadata(String path, HasMetadata object,
      KindRegistry.Kind kind, JsonLocation at, List<FileError> errors) {
    ObjectMeta meta = object.getMetadata();
    if (meta == null || meta.getName() == null || meta.getName().isEmpty()) {
      errors.add(at(path, at, kind.kind() + ": metadata.name is required."));
      return Optional.empty();
    }
    // The object is fresh from the parser and not shared yet, so filling in defaults is safe.
    object.setApiVersion(kind.storedApiVersion());
    if (!kind.namespaced()) {
      meta.setNamespace(null); // the API server ignores it for cluster-scoped kinds
    } else if (meta.getNamespace() == null || meta.getNamespace().isEmpty()) {
      meta.setNamespace("default");
    }
    if (object instanceof Secret secret) {
      mergeStringData(secret);
    }
    String namespace = kind.namespaced() ? meta.getNamespace() : "";
    return Optional.of(new ObjectRef(kind.kind(), namespace, meta.getName()));
  }

  /**
   * Moves {@code stringData} into {@code data}, base64-encoded, as the API server does on write
   * ({@code stringData} wins over {@code data} for the same key).
   */
  private static void mergeStringData(Secret secret) {
    if (secret.getStringData() == null || secret.getStringData().isEmpty()) {
      return;
    }
    Map<String, String> data = new TreeMap<>();
    if (secret.getData() != null) {
      data.putAll(secret.getData());
    }
    secret.getStringData().forEach((k, v) -> data.put(k,
        Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
    secret.setData(data);
    secret.setStringData(null);
  }

  private static String bindingMessage(KindRegistry.Kind kind, JsonMappingException e) {
    String field = fieldPath(e.getPath());
    if (e instanceof UnrecognizedPropertyException) {
      return kind.kind() + ": unknown field \"" + field + "\".";
    }
    String detail = e.getOriginalMessage();
    int cut = detail.indexOf('\n');
    return kind.kind() + ": " + field + ": " + (cut < 0 ? detail : detail.substring(0, cut));
  }

  /**
   * Locates an unknown field at its key. The YAML parser reports the position of the field's value
   * (for a block value, the next line), so look back from there to the line holding the key.
   */
  private static FileError unknownField(String path, byte[] bytes, int documentLine,
      UnrecognizedPropertyException e, String message) {
    FileError reported = error(path, e, message);
    String[] lines = new String(bytes, StandardCharsets.UTF_8).split("\n", -1);
    Pattern key = Pattern.compile(
        "(^|[\\s{,\"'-])(" + Pattern.quote(e.getPropertyName()) + ")[\"']?\\s*:");
    for (int l = Math.min(reported.line(), lines.length); l >= Math.max(1, documentLine); l--) {
      Matcher m = key.matcher(lines[l - 1]);
      if (m.find()) {
        return new FileError(path, l, m.start(2) + 1, message);
      }
    }
    return reported;
  }

  static String fieldPath(List<Reference> path) {
    StringBuilder b = new StringBuilder();
    for (Reference r : path) {
      if (r.getFieldName() != null) {
        b.append(b.isEmpty() ? "" : ".").append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        b.append('[').append(r.getIndex()).append(']');
      }
    }
    return b.toString();
  }

  private static FileError error(String path, JacksonException e, String message) {
    return at(path, e.getLocation(), message);
  }

  private static FileError at(String path, JsonLocation at, String message) {
    return new FileError(path, line(at), column(at), message);
  }

  private static int line(JsonLocation at) {
    return at == null ? 0 : Math.max(0, at.getLineNr());
  }

  private static int column(JsonLocation at) {
    return at == null ? 0 : Math.max(0, at.getColumnNr());
  }
}
