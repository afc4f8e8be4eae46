package io.gatehouse.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlaceholdersTest {
  private final Placeholders placeholders = new Placeholders("gateway-conformance",
      "gatehouse.io/gateway-controller",
      Map.of("Secret/infra/cert/tls.crt", "-----BEGIN CERTIFICATE-----\nX\n")::get);

  @Test
  void replacesClassControllerAndGeneratedValuesEverywhereInTheTree() throws Exception {
    JsonNode in = Yaml.MAPPER.readTree("""
        spec:
          gatewayClassName: "{GATEWAY_CLASS_NAME}"
          controllerName: "{GATEWAY_CONTROLLER_NAME}"
        parents:
        - controllerName: ${controllerName}
        pem: ${pem:Secret/infra/cert/tls.crt}
        unknown: ${pem:Secret/infra/nope/tls.crt}
        runnerInput: ${usableAddress.value}
        """);
    JsonNode out = placeholders.apply(in);
    assertThat(out.at("/spec/gatewayClassName").asText()).isEqualTo("gateway-conformance");
    assertThat(out.at("/spec/controllerName").asText())
        .isEqualTo("gatehouse.io/gateway-controller");
    assertThat(out.at("/parents/0/controllerName").asText())
        .isEqualTo("gatehouse.io/gateway-controller");
    assertThat(out.at("/pem").asText()).isEqualTo("-----BEGIN CERTIFICATE-----\nX\n");
    assertThat(out.at("/unknown").asText()).isEqualTo("${pem:Secret/infra/nope/tls.crt}");
    assertThat(out.at("/runnerInput").asText()).isEqualTo("${usableAddress.value}");
    assertThat(in.at("/spec/gatewayClassName").asText()).as("input untouched")
        .isEqualTo("{GATEWAY_CLASS_NAME}");
  }
}
