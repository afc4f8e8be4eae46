package io.gatehouse.standalone.file;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.AnnotatedMember;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

/**
 * The Jackson mapper that reads manifests: fabric8's settings, except that an unknown field or a
 * duplicate key is an error.
 *
 * <p>
 * fabric8 classes collect unknown fields in an {@code @JsonAnySetter} map, so a typo such as
 * {@code spec.listners} would load silently and drop the listeners. This mapper ignores those
 * any-setters (except on {@link GenericKubernetesResource}, whose whole body lives there) and fails
 * on unknown properties, which reports the field path and its line.
 */
final class ManifestMapper {
  private ManifestMapper() {
  }

  static ObjectMapper create() {
    ObjectMapper mapper = new ObjectMapper(new YAMLFactory());
    mapper.registerModule(new Jdk8Module());
    mapper.registerModule(new JavaTimeModule());
    mapper.registerModule(new Fabric8Module());
    mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    // kubectl rejects a key written twice in one mapping; the last one silently winning hides typos.
    mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    mapper.setAnnotationIntrospector(new StrictIntrospector());
    return mapper;
  }

  /** Turns off fabric8's catch-all for unknown fields on typed classes. */
  private static final class StrictIntrospector extends JacksonAnnotationIntrospector {
    private static final long serialVersionUID = 1L;

    @Override
    public Boolean hasAnySetter(Annotated a) {
      if (a instanceof AnnotatedMember m
          && m.getDeclaringClass() != GenericKubernetesResource.class
          && m.getDeclaringClass().getName().startsWith("io.fabric8.")) {
        return Boolean.FALSE;
      }
      return super.hasAnySetter(a);
    }
  }
}
