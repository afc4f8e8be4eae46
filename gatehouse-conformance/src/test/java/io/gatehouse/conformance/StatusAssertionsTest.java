package io.gatehouse.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Status assertions against a fixed view, with short timeouts. */
class StatusAssertionsTest {
  private static ObjectNode yaml(String s) {
    try {
      return (ObjectNode) Yaml.MAPPER.readTree(s);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static final ObjectNode ROUTE = yaml("""
      kind: HTTPRoute
      metadata: {name: r, namespace: infra, generation: 2}
      status:
        parents:
        - parentRef: {group: gateway.networking.k8s.io, kind: Gateway, name: gw}
          controllerName: gatehouse.io/gateway-controller
          conditions:
          - {type: Accepted, status: 'True', reason: Accepted, observedGeneration: 2}
          - {type: ResolvedRefs, status: 'False', reason: BackendNotFound, observedGeneration: 2}
      """);

  private static final ObjectNode GATEWAY = yaml("""
      kind: Gateway
      metadata: {name: gw, namespace: infra, generation: 1}
      status:
        addresses: [{type: IPAddress, value: 127.0.0.2}]
        conditions:
        - {type: Accepted, status: 'True', reason: Accepted, observedGeneration: 1}
        - {type: Programmed, status: 'True', reason: Programmed, observedGeneration: 1}
        listeners:
        - name: http
          attachedRoutes: 1
          supportedKinds: [{group: gateway.networking.k8s.io, kind: HTTPRoute}]
          conditions:
          - {type: Accepted, status: 'True', observedGeneration: 1}
          - {type: ResolvedRefs, status: 'True', observedGeneration: 1}
          - {type: Programmed, status: 'True', observedGeneration: 1}
      """);

  private final StatusAssertions assertions = new StatusAssertions(new StatusView() {
    @Override
    public Optional<ObjectNode> object(String kind, String namespace, String name) {
      return objects().stream()
          .filter(o -> o.path("kind").asText().equals(kind)
              && o.at("/metadata/namespace").asText("").equals(namespace)
              && o.at("/metadata/name").asText().equals(name))
          .findFirst();
    }

    @Override
    public List<ObjectNode> objects() {
      return List.of(ROUTE, GATEWAY);
    }
  }, "gatehouse.io/gateway-controller", List::of, Duration.ofMillis(10), Duration.ofMillis(50));

  @Test
  void routeConditionWithTheRightReasonPasses() throws Exception {
    assertions.run(yaml("""
        {assert: routeCondition, kind: HTTPRoute, namespace: infra, name: r,
         parentRef: {namespace: infra, name: gw},
         condition: {type: ResolvedRefs, status: 'False', reason: BackendNotFound}}
        """));
  }

  @Test
  void wrongReasonFailsNamingExpectedAndActual() {
    JsonNode a = yaml("""
        {assert: routeCondition, kind: HTTPRoute, namespace: infra, name: r,
         parentRef: {namespace: infra, name: gw},
         condition: {type: ResolvedRefs, status: 'False', reason: RefNotPermitted}}
        """);
    assertThatThrownBy(() -> assertions.run(a)).isInstanceOf(AssertionFailure.class)
        .hasMessageContaining("routeCondition HTTPRoute infra/r")
        .hasMessageContaining("expected ResolvedRefs=False/RefNotPermitted")
        .hasMessageContaining("ResolvedRefs=False/BackendNotFound");
  }

  @Test
  void gatewayAndRoutesAcceptedNeedsExplicitNamespaceWhenCrossNamespace() throws Exception {
    assertions.run(yaml("""
        {assert: gatewayAndRoutesAccepted, gateway: {namespace: infra, name: gw},
         routeKind: HTTPRoute, routes: [{namespace: infra, name: r}]}
        """));
    assertThat(assertions.addressOf("infra", "gw")).contains("127.0.0.2");
  }

  @Test
  void listenerCountAndAttachedRoutesAreCompared() {
    JsonNode a = yaml("""
        {assert: gatewayListeners, gateway: {namespace: infra, name: gw},
         listeners: [{name: http, supportedKinds: [{kind: HTTPRoute}], attachedRoutes: 2}]}
        """);
    assertThatThrownBy(() -> assertions.run(a))
        .hasMessageContaining("attachedRoutes 1, expected 2");
  }

  @Test
  void unknownAssertionIsReportedAsUnsupported() {
    assertThatThrownBy(() -> assertions.run(yaml("{assert: noSuchAssertion}")))
        .hasMessage("unsupported assertion: noSuchAssertion");
  }
}
