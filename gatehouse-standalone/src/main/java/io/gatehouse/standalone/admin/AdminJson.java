package io.gatehouse.standalone.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.standalone.file.Fabric8Module;
import io.gatehouse.translator.ResultFormat;

/**
 * The JSON mapper of the admin API: the translator's {@link ResultFormat} mapper, so that the
 * config dump reads like the golden files (each sealed model type's variant as {@code type}, nulls
 * omitted, map keys sorted). fabric8 objects come out as kubectl prints them (see
 * {@link Fabric8Module}).
 */
final class AdminJson {
  private static final ObjectMapper MAPPER = ResultFormat.jsonMapper()
      .registerModule(new Fabric8Module());

  private AdminJson() {
  }

  /** The shared mapper; thread-safe, do not reconfigure. */
  static ObjectMapper mapper() {
    return MAPPER;
  }
}
