package io.gatehouse.standalone.admin;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.gatehouse.model.Action;
import io.gatehouse.model.Filter;
import io.gatehouse.model.Listener;
import io.gatehouse.model.PathMatch;

/**
 * The JSON mapper of the admin API: fabric8 objects as kubectl prints them, and model records with
 * a {@code type} property naming the variant of each sealed interface (e.g. {@code "Prefix"}).
 */
// When the translator's ResultFormat.jsonMapper() is installed, the config dump should use it so that
// the dump and the golden files agree; until then this mapper names the variants the same way.
final class AdminJson {
  @JsonTypeInfo(use = JsonTypeInfo.Id.SIMPLE_NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
  private interface Variant {
  }

  private AdminJson() {
  }

  static ObjectMapper create() {
    return JsonMapper.builder()
        .addModule(new Jdk8Module())
        .addModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .addMixIn(Listener.class, Variant.class)
        .addMixIn(PathMatch.class, Variant.class)
        .addMixIn(Action.class, Variant.class)
        .addMixIn(Filter.class, Variant.class)
        .build();
  }
}
