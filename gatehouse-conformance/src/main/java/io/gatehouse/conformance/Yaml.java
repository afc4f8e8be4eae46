package io.gatehouse.conformance;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reading and writing the suite's YAML as Jackson trees (the cases have too many shapes for POJOs).
 */
final class Yaml {
  static final YAMLMapper MAPPER = new YAMLMapper(YAMLFactory.builder()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .build());

  /** For human-facing output (the report): minimal quoting, no line splitting. */
  static final YAMLMapper REPORT_MAPPER = new YAMLMapper(YAMLFactory.builder()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .disable(YAMLGenerator.Feature.SPLIT_LINES)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
      .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
      .build());

  private Yaml() {
  }

  /** Every non-empty document of a file, as objects. */
  static List<ObjectNode> readAll(Path file) {
    try (JsonParser parser = MAPPER.createParser(file.toFile())) {
      List<ObjectNode> docs = new ArrayList<>();
      MappingIterator<JsonNode> it = MAPPER.readValues(parser, JsonNode.class);
      while (it.hasNext()) {
        JsonNode doc = it.next();
        if (doc instanceof ObjectNode o && !o.isEmpty()) {
          docs.add(o);
        }
      }
      return docs;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  static ObjectNode read(Path file) {
    List<ObjectNode> docs = readAll(file);
    if (docs.size() != 1) {
      throw new IllegalArgumentException(
          file + ": expected one YAML document, found " + docs.size());
    }
    return docs.get(0);
  }

  /** Writes the documents, separated by {@code ---}, atomically (temp file and move). */
  static void write(Path file, List<? extends JsonNode> docs) {
    write(file, docs, MAPPER);
  }

  static void write(Path file, List<? extends JsonNode> docs, YAMLMapper mapper) {
    StringBuilder text = new StringBuilder();
    try {
      for (JsonNode d : docs) {
        text.append("---\n").append(mapper.writeValueAsString(d));
      }
      Files.createDirectories(file.getParent());
      Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
      Files.writeString(tmp, text);
      Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  static String text(JsonNode node, String field) {
    JsonNode v = node.path(field);
    return v.isMissingNode() || v.isNull() ? "" : v.asText();
  }
}
