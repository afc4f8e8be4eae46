package io.gatehouse.standalone.settings;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.gatehouse.proxy.ProxyOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The settings file of standalone mode ({@code gatehouse standalone --settings FILE}): the data
 * plane's {@link ProxyOptions} as YAML, in sections that mirror its records ({@code proxy},
 * {@code http1}, {@code http2}, {@code paths}, {@code headers}, {@code timeouts},
 * {@code connections}, {@code overload}, {@code udp}, {@code tls}, {@code penalty}; see
 * {@code docs/configuration.md}). Every field is optional and defaults to
 * {@link ProxyOptions#defaults()}; unknown fields and bad values are refused with an
 * {@link InvalidSettingsException} naming the file and the field's path. {@link #toYaml} writes any
 * {@code ProxyOptions} in the same form, and {@link #parse} reads it back to an equal value.
 * Stateless and thread-safe.
 */
public final class SettingsFile {
  private static final ObjectMapper READER = new ObjectMapper(YAMLFactory.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL).build());
  private static final ObjectMapper WRITER = YAMLMapper.builder(YAMLFactory.builder()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
      .build()).build();

  private SettingsFile() {
  }

  /**
   * Reads the settings file at {@code file}.
   *
   * @throws InvalidSettingsException if it cannot be read or holds anything but valid settings
   */
  public static ProxyOptions load(Path file) {
    String yaml;
    try {
      yaml = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new InvalidSettingsException(file + ": cannot read the settings file: " + e);
    }
    return parse(file.toString(), yaml);
  }

  /**
   * Reads settings from {@code yaml}, defaults for every field it leaves out.
   *
   * @param source the file name used in error messages
   * @throws InvalidSettingsException on invalid YAML, an unknown field or a bad value
   */
  public static ProxyOptions parse(String source, String yaml) {
    return SettingsReader.read(SettingsSection.root(source, document(source, yaml)));
  }

  /** {@code options} as the JSON/YAML tree of a settings file, every field present. */
  public static ObjectNode toTree(ProxyOptions options) {
    return SettingsWriter.write(options);
  }

  /** {@code options} as a settings file, every field present; {@link #parse} reads it back. */
  public static String toYaml(ProxyOptions options) {
    try {
      return WRITER.writeValueAsString(toTree(options));
    } catch (JacksonException e) {
      throw new IllegalStateException("cannot write settings", e);
    }
  }

  private static JsonNode document(String source, String yaml) {
    List<JsonNode> docs = new ArrayList<>();
    try (JsonParser parser = READER.createParser(yaml)) {
      for (JsonNode doc; (doc = READER.readTree(parser)) != null;) {
        docs.add(doc);
      }
    } catch (JacksonException e) {
      throw new InvalidSettingsException(source + ": not valid YAML: " + summary(e)
          + location(e));
    } catch (IOException e) {
      throw new InvalidSettingsException(source + ": cannot read the settings: " + e);
    }
    if (docs.size() > 1) {
      throw new InvalidSettingsException(source + ": holds " + docs.size()
          + " YAML documents; settings are one document");
    }
    return docs.isEmpty() ? MissingNode.getInstance() : docs.get(0);
  }

  /**
   * The parser's message without SnakeYAML's indented excerpt lines (" in 'reader', line ...", the
   * quoted source and its caret), e.g. {@code while parsing a flow mapping; expected ',' or '}',
   * but got <stream end>}.
   */
  private static String summary(JacksonException e) {
    return String.join("; ", e.getOriginalMessage().lines()
        .filter(l -> !l.isBlank() && !Character.isWhitespace(l.charAt(0))).toList());
  }

  private static String location(JacksonException e) {
    var where = e.getLocation();
    return where == null || where.getLineNr() < 1
        ? ""
        : " (line " + where.getLineNr() + ", column " + where.getColumnNr() + ")";
  }
}
