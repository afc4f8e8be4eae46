package io.gatehouse.standalone.settings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * One mapping of a settings file (the top level or a section such as {@code timeouts}) being read:
 * each typed accessor reads one field, or returns the default when the field is absent, and
 * {@link #finish} refuses every field no accessor asked for. Errors name the field by its dotted
 * path. Not thread-safe; one per read.
 */
final class SettingsSection {
  private final String source;
  private final String path;
  private final JsonNode node;
  private final List<String> known = new ArrayList<>();

  private SettingsSection(String source, String path, JsonNode node) {
    this.source = source;
    this.path = path;
    this.node = node;
  }

  /** The top-level mapping of the file called {@code source} (a missing document is empty). */
  static SettingsSection root(String source, JsonNode node) {
    SettingsSection root = new SettingsSection(source, "", node);
    if (!node.isNull() && !node.isMissingNode() && !node.isObject()) {
      throw root.invalid("the file must be a mapping of sections (found " + describe(node) + ")");
    }
    return root;
  }

  /** The mapping under {@code name}; absent or empty ({@code timeouts:}) is an empty section. */
  SettingsSection section(String name) {
    JsonNode value = field(name);
    SettingsSection section = new SettingsSection(source, path(name), value);
    if (!value.isNull() && !value.isMissingNode() && !value.isObject()) {
      throw section.invalid("must be a mapping of fields (found " + describe(value) + ")");
    }
    return section;
  }

  /** A whole number from {@code min} to {@code max}. */
  int integer(String name, int fallback, int min, int max) {
    JsonNode value = value(name);
    if (value == null) {
      return fallback;
    }
    if (!value.isIntegralNumber()) {
      throw invalid(name, quote(value) + " is not an integer");
    }
    return inRange(name, value.canConvertToLong() ? value.longValue() : Long.MAX_VALUE,
        quote(value), min, max);
  }

  /** A size in bytes, a plain integer or a quantity ({@link Quantities}). */
  int size(String name, long fallback, int min, int max) {
    JsonNode value = value(name);
    if (value == null) {
      return (int) fallback;
    }
    OptionalLong bytes = value.isIntegralNumber()
        ? OptionalLong.of(value.canConvertToLong() ? value.longValue() : Long.MAX_VALUE)
        : value.isTextual() ? Quantities.parse(value.textValue()) : OptionalLong.empty();
    if (bytes.isEmpty()) {
      throw invalid(name, quote(value) + " is not a size (" + Quantities.EXAMPLES + ")");
    }
    return inRange(name, bytes.getAsLong(), quote(value), min, max);
  }

  /** A duration ({@link Durations}): positive, or also zero when {@code zeroAllowed}. */
  Duration duration(String name, Duration fallback, boolean zeroAllowed) {
    JsonNode value = value(name);
    if (value == null) {
      return fallback;
    }
    @Nullable
    Duration d = value.isTextual() ? Durations.parse(value.textValue()).orElse(null) : null;
    if (d == null) {
      throw invalid(name, quote(value) + " is not a duration (" + Durations.EXAMPLES + ")");
    }
    if (d.isNegative() || (d.isZero() && !zeroAllowed)) {
      throw invalid(name, quote(value) + (zeroAllowed
          ? " must not be negative"
          : " must be more than 0s"));
    }
    return d;
  }

  /** {@code true} or {@code false}. */
  boolean bool(String name, boolean fallback) {
    JsonNode value = value(name);
    if (value == null) {
      return fallback;
    }
    if (!value.isBoolean()) {
      throw invalid(name, quote(value) + " is not a boolean (true or false)");
    }
    return value.booleanValue();
  }

  /** A number from {@code min} (exclusive) to {@code max} (inclusive). */
  double fraction(String name, double fallback, double min, double max) {
    JsonNode value = value(name);
    if (value == null) {
      return fallback;
    }
    if (!value.isNumber()) {
      throw invalid(name, quote(value) + " is not a number (e.g. 0.95)");
    }
    double d = value.doubleValue();
    if (!(d > min && d <= max)) {
      throw invalid(name, quote(value) + " is out of range (more than " + min + ", at most "
          + max + ")");
    }
    return d;
  }

  /** One of the constants of {@code type}, by name, case-insensitive. */
  <E extends Enum<E>> E choice(String name, E fallback, Class<E> type) {
    JsonNode value = value(name);
    if (value == null) {
      return fallback;
    }
    for (E constant : type.getEnumConstants()) {
      if (value.isTextual() && constant.name().equalsIgnoreCase(value.textValue())) {
        return constant;
      }
    }
    throw invalid(name, quote(value) + " is not one of "
        + String.join(", ", Arrays.stream(type.getEnumConstants()).map(Enum::name).toList()));
  }

  /** Refuses the fields of this mapping that no accessor asked for. */
  void finish() {
    for (Iterator<String> names = node.fieldNames(); names.hasNext();) {
      String name = names.next();
      if (!known.contains(name)) {
        throw invalid(name, "unknown field (known: " + String.join(", ", known) + ")");
      }
    }
  }

  /** An error about this mapping as a whole, e.g. two fields that contradict each other. */
  InvalidSettingsException invalid(String message) {
    return new InvalidSettingsException(
        source + ": " + (path.isEmpty() ? "" : path + ": ") + message);
  }

  /** An error about the field {@code name} of this mapping. */
  InvalidSettingsException invalid(String name, String message) {
    return new InvalidSettingsException(source + ": " + path(name) + ": " + message);
  }

  private int inRange(String name, long value, String text, int min, int max) {
    if (value < min || value > max) {
      throw invalid(name, text + " is out of range (" + min + " to " + max + ")");
    }
    return (int) value;
  }

  /** The field's value; null when absent. A field written without a value is refused. */
  private @Nullable JsonNode value(String name) {
    JsonNode value = field(name);
    if (value.isMissingNode()) {
      return null;
    }
    if (value.isNull()) {
      throw invalid(name, "has no value (leave the field out for the default)");
    }
    return value;
  }

  private JsonNode field(String name) {
    known.add(name);
    return node.path(name);
  }

  private String path(String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  private static String quote(JsonNode value) {
    return value.isTextual() ? "\"" + value.textValue() + "\"" : value.toString();
  }

  private static String describe(JsonNode node) {
    JsonNodeType type = node.getNodeType();
    return switch (type) {
      case ARRAY -> "a list";
      case STRING -> "a string";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      default -> type.name().toLowerCase(Locale.ROOT);
    };
  }
}
