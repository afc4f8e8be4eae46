package io.gatehouse.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GatewayInfrastructureChecksTest {
  private static ObjectNode yaml(String s) {
    try {
      return (ObjectNode) Yaml.MAPPER.readTree(s);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static final ObjectNode ADDRESSES = yaml("""
      assert: gatewayStatusAddresses
      count: 1
      mustContainValue: 127.2.0.1
      mustNotContainValues: [192.0.2.1, fake]
      typeOfUsableMustEqual: IPAddress
      """);

  private static final ObjectNode METADATA = yaml("""
      assert: generatedInfrastructureMetadata
      selectorLabel: {gateway.networking.k8s.io/gateway-name: gw}
      kinds: [ServiceAccount, Pod, Service]
      namespace: infra
      labelsMustInclude: {key2: value2}
      annotationsMustInclude: {key1: value1}
      """);

  private static Optional<ObjectNode> gateway(String addresses) {
    return Optional.of(yaml("{kind: Gateway, status: {addresses: " + addresses + "}}"));
  }

  @Test
  void statusAddressesNeedExactlyTheUsableOneWithItsType() {
    assertThat(GatewayInfrastructureChecks.statusAddresses(ADDRESSES,
        gateway("[{type: IPAddress, value: 127.2.0.1}]"))).isNull();
    assertThat(GatewayInfrastructureChecks.statusAddresses(ADDRESSES,
        gateway("[{value: 127.2.0.1}]"))).contains("type");
    assertThat(GatewayInfrastructureChecks.statusAddresses(ADDRESSES,
        gateway("[{type: IPAddress, value: 127.0.0.5}]"))).contains("lacks 127.2.0.1");
    assertThat(GatewayInfrastructureChecks.statusAddresses(ADDRESSES,
        gateway("[{type: IPAddress, value: 127.2.0.1}, {type: IPAddress, value: 192.0.2.1}]")))
        .contains("expected 1");
    assertThat(GatewayInfrastructureChecks.statusAddresses(ADDRESSES, Optional.empty()))
        .isEqualTo("Gateway not found");
  }

  @Test
  void generatedMetadataChecksTheFirstSelectedObjectOfEachKind() {
    ObjectNode good = yaml("""
        kind: Service
        metadata:
          name: gatehouse-gw
          namespace: infra
          labels: {gateway.networking.k8s.io/gateway-name: gw, key2: value2}
          annotations: {key1: value1}
        """);
    ObjectNode noAnnotations = yaml("""
        kind: ServiceAccount
        metadata:
          name: gatehouse-gw
          namespace: infra
          labels: {gateway.networking.k8s.io/gateway-name: gw, key2: value2}
        """);
    ObjectNode otherGateway = yaml("""
        kind: ServiceAccount
        metadata:
          name: x
          namespace: infra
          labels: {gateway.networking.k8s.io/gateway-name: other}
        """);

    assertThat(GatewayInfrastructureChecks.generatedMetadata(METADATA,
        List.of(otherGateway, good))).isNull();
    assertThat(GatewayInfrastructureChecks.generatedMetadata(METADATA,
        List.of(good, noAnnotations))).contains("ServiceAccount gatehouse-gw has annotations");
    assertThat(GatewayInfrastructureChecks.generatedMetadata(METADATA, List.of(otherGateway)))
        .startsWith("no ");
  }
}
