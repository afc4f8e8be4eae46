package io.gatehouse.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EndpointSlicesTest {
  private final List<Pod> pods = List.of(
      new Pod("infra", "v1-a-b", "v1", "127.1.0.2", Map.of("app", "v1"), Pod.Mode.HTTP_ECHO),
      new Pod("infra", "v1-a-c", "v1", "127.1.0.3", Map.of("app", "v1"), Pod.Mode.HTTP_ECHO),
      new Pod("infra", "v2-a-b", "v2", "127.1.0.4", Map.of("app", "v2"), Pod.Mode.HTTP_ECHO),
      new Pod("other", "v1-x-y", "v1", "127.1.0.5", Map.of("app", "v1"), Pod.Mode.HTTP_ECHO));

  private static ObjectNode service(String yaml) throws Exception {
    return (ObjectNode) Yaml.MAPPER.readTree(yaml);
  }

  @Test
  void selectorServiceGetsMatchingPodsOfItsNamespaceWithTargetPorts() throws Exception {
    ObjectNode svc = service("""
        kind: Service
        metadata: {name: infra-backend-v1, namespace: infra}
        spec:
          selector: {app: v1}
          ports:
          - {name: first-port, port: 8080, targetPort: 3000}
          - {name: second-port, port: 8081, targetPort: 3001, appProtocol: kubernetes.io/h2c}
          - {name: plain, port: 9000}
        """);
    ObjectNode slice = EndpointSlices.of(svc, pods).orElseThrow();
    assertThat(slice.at("/metadata/labels/kubernetes.io~1service-name").asText())
        .isEqualTo("infra-backend-v1");
    assertThat(slice.at("/metadata/namespace").asText()).isEqualTo("infra");
    assertThat(slice.path("endpoints")).hasSize(2);
    assertThat(slice.at("/endpoints/0/addresses/0").asText()).isEqualTo("127.1.0.2");
    assertThat(slice.at("/endpoints/1/targetRef/name").asText()).isEqualTo("v1-a-c");
    assertThat(slice.at("/ports/0/name").asText()).isEqualTo("first-port");
    assertThat(slice.at("/ports/0/port").asInt()).isEqualTo(3000);
    assertThat(slice.at("/ports/1/appProtocol").asText()).isEqualTo("kubernetes.io/h2c");
    assertThat(slice.at("/ports/2/port").asInt()).as("no targetPort: the port").isEqualTo(9000);
  }

  @Test
  void serviceWithoutSelectorGetsNothing() throws Exception {
    ObjectNode svc = service("""
        kind: Service
        metadata: {name: manual, namespace: infra}
        spec:
          ports: [{name: first-port, port: 8080, targetPort: 3000}]
        """);
    assertThat(EndpointSlices.of(svc, pods)).isEmpty();
  }
}
