package io.gatehouse.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
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

  @Test
  void addressPoolsReplaceThePlaceholderEntriesInOrderAndTheCaseInputs() throws Exception {
    Placeholders withPools = new Placeholders("c", "x", k -> null, new AddressPools(
        List.of(new AddressPools.Address("IPAddress", "127.2.0.1")),
        List.of(new AddressPools.Address(null, "192.0.2.1"),
            new AddressPools.Address("Hostname", "nowhere.example"))));
    JsonNode in = Yaml.MAPPER.readTree("""
        spec:
          addresses:
          - {type: test/fake-invalid-type, value: fake}
          - value: PLACEHOLDER_UNUSABLE_ADDRS
          - value: PLACEHOLDER_USABLE_ADDRS
        mustContain: ${usableAddress.value}
        type: ${usableAddress.type}
        mustNot: ${unusableAddress.value}
        """);

    JsonNode out = withPools.apply(in);

    assertThat(out.at("/spec/addresses").toString())
        .isEqualTo("[{\"type\":\"test/fake-invalid-type\","
            + "\"value\":\"fake\"},{\"value\":\"192.0.2.1\"},{\"type\":\"Hostname\","
            + "\"value\":\"nowhere.example\"},{\"type\":\"IPAddress\",\"value\":\"127.2.0.1\"}]");
    assertThat(out.at("/mustContain").asText()).isEqualTo("127.2.0.1");
    assertThat(out.at("/type").asText()).isEqualTo("IPAddress");
    assertThat(out.at("/mustNot").asText()).isEqualTo("192.0.2.1");
  }
}
