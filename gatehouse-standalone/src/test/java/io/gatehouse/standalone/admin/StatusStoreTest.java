package io.gatehouse.standalone.admin;

import io.gatehouse.standalone.SteppingClock;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayStatus;
import io.gatehouse.standalone.file.SourceSnapshot;
import io.gatehouse.translator.ResourceSnapshot;
import java.util.Map;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReference;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteParentStatus;
import io.gatehouse.translator.ObjectRef;
import io.gatehouse.translator.StatusUpdate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusStoreTest {
  private static final ObjectRef GW = new ObjectRef("Gateway", "default", "gw");
  private static final ObjectRef ROUTE = new ObjectRef("HTTPRoute", "default", "r");
  private static final String T0 = "2026-01-02T03:04:05Z";
  private static final String T1 = "2026-01-02T03:05:05Z";

  private final SteppingClock clock = new SteppingClock(Instant.parse("2026-01-02T03:04:05.9Z"));
  private final StatusStore store = new StatusStore(clock);

  @Test
  void newConditionGetsTheCurrentTimeInRfc3339Seconds() {
    store.updateStatuses(List.of(gateway(List.of(cond("Accepted", "True", "Accepted")))));

    assertThat(time(store.status(GW).orElseThrow(), "/conditions/0")).isEqualTo(T0);
  }

  @Test
  void unchangedStatusKeepsItsTimeEvenWhenReasonOrMessageChange() {
    store.updateStatuses(List.of(gateway(List.of(cond("Accepted", "True", "Accepted"),
        cond("Programmed", "False", "Pending")))));
    clock.advance(Duration.ofMinutes(1));

    store.updateStatuses(List.of(gateway(List.of(cond("Accepted", "True", "ListenersNotValid"),
        cond("Programmed", "True", "Programmed")))));

    JsonNode status = store.status(GW).orElseThrow();
    assertThat(time(status, "/conditions/0")).isEqualTo(T0);
    assertThat(status.at("/conditions/0/reason").asText()).isEqualTo("ListenersNotValid");
    assertThat(time(status, "/conditions/1")).isEqualTo(T1);
  }

  @Test
  void listenerConditionsAreMatchedByListenerNameNotPosition() {
    store.updateStatuses(List.of(gatewayWithListeners("a", "b")));
    clock.advance(Duration.ofMinutes(1));

    store.updateStatuses(List.of(gatewayWithListeners("c", "a")));

    JsonNode status = store.status(GW).orElseThrow();
    assertThat(status.at("/listeners/0/name").asText()).isEqualTo("c");
    assertThat(time(status, "/listeners/0/conditions/0")).isEqualTo(T1);
    assertThat(time(status, "/listeners/1/conditions/0")).isEqualTo(T0);
  }

  @Test
  void routeParentConditionsAreMatchedByParentRef() {
    store.updateStatuses(List.of(route("gw-1")));
    clock.advance(Duration.ofMinutes(1));

    store.updateStatuses(List.of(route("gw-2", "gw-1")));

    JsonNode status = store.status(ROUTE).orElseThrow();
    assertThat(status.at("/parents/0/parentRef/name").asText()).isEqualTo("gw-2");
    assertThat(time(status, "/parents/0/conditions/0")).isEqualTo(T1);
    assertThat(time(status, "/parents/1/conditions/0")).isEqualTo(T0);
  }

  @Test
  void updateThatChangesNothingIsSkipped() {
    List<StatusUpdate> updates = List.of(gateway(List.of(cond("Accepted", "True", "Accepted"))));
    assertThat(store.updateStatuses(updates)).isEqualTo(1);
    long version = store.version();
    clock.advance(Duration.ofMinutes(1));

    assertThat(store.updateStatuses(updates)).isZero();

    assertThat(store.version()).isEqualTo(version);
    assertThat(time(store.status(GW).orElseThrow(), "/conditions/0")).isEqualTo(T0);
  }

  @Test
  void statusOfAnObjectNoLongerReportedIsDropped() {
    store.updateStatuses(List.of(gateway(List.of(cond("Accepted", "True", "Accepted")))));

    assertThat(store.updateStatuses(List.of())).isEqualTo(1);

    assertThat(store.status(GW)).isEmpty();
  }

  @Test
  void handedOutStatusesAreCopies() {
    store.updateStatuses(List.of(gateway(List.of(cond("Accepted", "True", "Accepted")))));

    ((com.fasterxml.jackson.databind.node.ObjectNode) store.status(GW).orElseThrow())
        .put("x", 1);

    assertThat(store.status(GW).orElseThrow().has("x")).isFalse();
  }

  @Test
  void ourGatewaysShowGeneratedServiceAccountAndServiceWithInfrastructureMetadata() {
    Gateway gw = new GatewayBuilder().withNewMetadata().withName("gw").withNamespace("default")
        .endMetadata()
        .withNewSpec().withGatewayClassName("c")
        .withNewInfrastructure().withLabels(Map.of("key2", "value2",
            "gateway.networking.k8s.io/gateway-name", "spoofed"))
        .withAnnotations(Map.of("key1", "value1")).endInfrastructure()
        .addNewListener().withName("http").withPort(8080).withProtocol("HTTP").endListener()
        .endSpec().build();
    Gateway other = new GatewayBuilder().withNewMetadata().withName("other")
        .withNamespace("default").endMetadata().withNewSpec().withGatewayClassName("x")
        .endSpec().build();
    store.updateObjects(new SourceSnapshot(1, ResourceSnapshot.empty(), List.of(gw, other),
        List.of(), List.of()));
    store.updateStatuses(List.of(gateway(List.of(cond("Accepted", "True", "Accepted")))));

    for (String kind : List.of("ServiceAccount", "Service")) {
      JsonNode o = store.object(kind, "default", "gatehouse-gw").orElseThrow();
      assertThat(o.at("/metadata/labels/key2").asText()).isEqualTo("value2");
      assertThat(o.at("/metadata/labels/gateway.networking.k8s.io~1gateway-name").asText())
          .isEqualTo("gw");
      assertThat(o.at("/metadata/annotations/key1").asText()).isEqualTo("value1");
      assertThat(o.at("/metadata/ownerReferences/0/name").asText()).isEqualTo("gw");
    }
    assertThat(store.object("Service", "default", "gatehouse-gw").orElseThrow()
        .at("/spec/ports/0/port").asInt()).isEqualTo(8080);
    // Only Gateways with a status (ours) get generated objects.
    assertThat(store.object("Service", "default", "gatehouse-other")).isEmpty();
    assertThat(store.objects()).extracting(o -> o.path("kind").asText())
        .containsExactly("Gateway", "Gateway", "ServiceAccount", "Service");
  }

  private static StatusUpdate gateway(List<Condition> conditions) {
    GatewayStatus s = new GatewayStatus();
    s.setConditions(conditions);
    return new StatusUpdate(GW, s);
  }

  private static StatusUpdate gatewayWithListeners(String... names) {
    GatewayStatus s = new GatewayStatus();
    s.setListeners(java.util.Arrays.stream(names)
        .map(n -> new ListenerStatus(0, List.of(cond("Accepted", "True", "Accepted")), n,
            List.of()))
        .toList());
    return new StatusUpdate(GW, s);
  }

  private static StatusUpdate route(String... parents) {
    HTTPRouteStatus s = new HTTPRouteStatus();
    s.setParents(java.util.Arrays.stream(parents)
        .map(p -> {
          ParentReference ref = new ParentReference();
          ref.setName(p);
          ref.setGroup("gateway.networking.k8s.io");
          ref.setKind("Gateway");
          return new RouteParentStatus(List.of(cond("Accepted", "True", "Accepted")),
              "example.com/c", ref);
        })
        .toList());
    return new StatusUpdate(ROUTE, s);
  }

  private static Condition cond(String type, String status, String reason) {
    return new ConditionBuilder().withType(type).withStatus(status).withReason(reason)
        .withMessage(reason + ".").withObservedGeneration(1L).build();
  }

  private static String time(JsonNode status, String conditionPointer) {
    return status.at(conditionPointer + "/lastTransitionTime").asText();
  }

}
