package io.gatehouse.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class ObjectPathTest {
  @Test
  void setAppendRemoveAndBracketKeys() throws Exception {
    ObjectNode o = (ObjectNode) Yaml.MAPPER.readTree("""
        spec:
          rules: [{backendRefs: [{name: a}]}]
          addresses: [{value: x}, {value: y}]
        """);
    ObjectPath.apply(o, Yaml.MAPPER.readTree(
        "{path: 'spec.rules[0].backendRefs[0].name', value: b}"));
    ObjectPath.apply(o, Yaml.MAPPER.readTree("{path: spec.addresses, removeWhere: {value: x}}"));
    ObjectPath.apply(o, Yaml.MAPPER.readTree("{path: spec.addresses, append: {value: z}}"));
    ObjectPath.apply(o, Yaml.MAPPER.readTree("{path: 'data[\"ca.crt\"]', value: pem}"));
    assertThat(o.at("/spec/rules/0/backendRefs/0/name").asText()).isEqualTo("b");
    assertThat(o.at("/spec/addresses").toString())
        .isEqualTo("[{\"value\":\"y\"},{\"value\":\"z\"}]");
    assertThat(o.path("data").path("ca.crt").asText()).isEqualTo("pem");
  }
}
