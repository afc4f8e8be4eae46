package io.gatehouse.translator;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializerBase;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteGroupKind;
import io.gatehouse.model.Action;
import io.gatehouse.model.Filter;
import io.gatehouse.model.Listener;
import io.gatehouse.model.PathMatch;
import io.gatehouse.model.PathRewrite;
import io.gatehouse.model.Retry;
import io.gatehouse.model.Route;
import io.gatehouse.model.SecretValue;
import io.gatehouse.model.Timeouts;
import io.gatehouse.model.WeightedCluster;
import java.time.Duration;
import java.util.List;

/**
 * Serialises a {@link TranslationResult} (and model or status objects) for golden tests, the
 * {@code gatehouse translate} CLI and the admin API's config dump. Serialisation only, no I/O.
 *
 * <p>
 * Sealed model types show their variant as {@code type: <SimpleName>} (e.g. {@code type: Prefix});
 * a {@link SecretValue} prints as {@code <redacted>}; nulls are omitted; map keys are sorted; a
 * status prints as {@code {object: Kind/ns/name, status:
 * ...}}. The same value always gives the same text.
 */
public final class ResultFormat {
  private static final ObjectMapper JSON = configure(JsonMapper.builder().build());
  private static final ObjectMapper YAML = configure(YAMLMapper.builder(YAMLFactory.builder()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .disable(YAMLGenerator.Feature.USE_NATIVE_TYPE_ID)
      .disable(YAMLGenerator.Feature.SPLIT_LINES)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
      .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
      .build()).build());

  private ResultFormat() {
  }

  /** The result as YAML, deterministic. */
  public static String toYaml(TranslationResult result) {
    try {
      return YAML.writeValueAsString(result);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise a translation result", e);
    }
  }

  /** A new JSON mapper configured like {@link #toYaml}; callers may adjust their copy. */
  public static ObjectMapper jsonMapper() {
    return JSON.copy();
  }

  private static ObjectMapper configure(ObjectMapper mapper) {
    mapper.registerModule(new Jdk8Module())
        .registerModule(new SimpleModule().addSerializer(Duration.class, new DurationSerializer()));
    return mapper
        .addMixIn(Route.class, RouteShape.class)
        .addMixIn(WeightedCluster.class, WeightedClusterShape.class)
        .setSerializationInclusion(JsonInclude.Include.NON_NULL)
        .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
        .addMixIn(Listener.class, Variant.class)
        .addMixIn(PathMatch.class, Variant.class)
        .addMixIn(Filter.class, Variant.class)
        .addMixIn(Action.class, Variant.class)
        .addMixIn(PathRewrite.class, Variant.class)
        // Private keys never reach golden files, config dumps or the admin API.
        .addMixIn(SecretValue.class, AsString.class)
        .addMixIn(ObjectRef.class, AsString.class)
        // fabric8 8 ships Jackson 3 serializers, which this Jackson 2 mapper does not see.
        .addMixIn(IntOrString.class, AsValue.class)
        // A required field: Kubernetes shows "supportedKinds: []", fabric8 would omit it.
        .addMixIn(ListenerStatus.class, ListenerStatusShape.class);
  }

  @JsonTypeInfo(use = JsonTypeInfo.Id.SIMPLE_NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
  private interface Variant {
  }

  private abstract static class ListenerStatusShape {
    @JsonInclude(JsonInclude.Include.ALWAYS)
    List<RouteGroupKind> supportedKinds;

    @JsonInclude(JsonInclude.Include.ALWAYS)
    public abstract List<RouteGroupKind> getSupportedKinds();
  }

  private abstract static class AsValue {
    @JsonValue
    public abstract Object getValue();
  }

  private abstract static class AsString {
    @JsonValue
    @Override
    public abstract String toString();
  }

  /** A route without timeouts (or retries) shows no {@code timeouts} (or {@code retry}) key. */
  private abstract static class RouteShape {
    @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = NoTimeouts.class)
    abstract Timeouts timeouts();

    @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = NoRetry.class)
    abstract Retry retry();
  }

  /** Excludes {@link Retry#NONE}, so routes without retries print as before retries existed. */
  private static final class NoRetry {
    @Override
    public boolean equals(Object value) {
      return Retry.NONE.equals(value);
    }

    @Override
    public int hashCode() {
      return 0;
    }
  }

  /** A backend without filters shows no {@code filters} key, as before backend filters existed. */
  private abstract static class WeightedClusterShape {
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    abstract List<Filter> filters();
  }

  /** Excludes {@link Timeouts#NONE} (Jackson calls {@code equals} with the property's value). */
  private static final class NoTimeouts {
    @Override
    public boolean equals(Object value) {
      return Timeouts.NONE.equals(value);
    }

    @Override
    public int hashCode() {
      return 0;
    }
  }

  /** A duration in Gateway API form: {@code 1s}, {@code 500ms}. */
  private static final class DurationSerializer extends ToStringSerializerBase {
    DurationSerializer() {
      super(Duration.class);
    }

    @Override
    public String valueToString(Object value) {
      Duration d = (Duration) value;
      return d.toMillisPart() == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }
  }
}
