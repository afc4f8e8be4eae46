package io.gatehouse.translator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClassBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteStatus;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** User mistakes become conditions, never exceptions. */
class TranslatorRobustnessTest {
  private final Translator translator = new Translator(TranslatorOptions.defaults());

  @Test
  void emptySnapshot() {
    var result = translator.translate(ResourceSnapshot.empty());
    assertThat(result.gateways()).isEmpty();
    assertThat(result.statuses()).isEmpty();
  }

  @Test
  void sparseObjectsDoNotThrow() {
    Gateway gateway = new GatewayBuilder().withNewMetadata()
        .withNamespace("default")
        .withName("gw")
        .endMetadata()
        .withNewSpec()
        .withGatewayClassName("gc")
        .addNewListener() // no name, no port, no protocol
        .endListener()
        .addNewListener()
        .withName("http")
        .withProtocol("HTTP")
        .withPort(80)
        .endListener()
        .endSpec()
        .build();
    HTTPRoute route = new HTTPRouteBuilder().withNewMetadata()
        .withNamespace("default")
        .withName("r")
        .endMetadata()
        .withNewSpec()
        .addNewParentRef()
        .withName("gw")
        .endParentRef()
        .addNewRule()
        .addNewMatch()
        .withNewPath()
        .withType("RegularExpression")
        .withValue("(unclosed")
        .endPath()
        .endMatch()
        .endRule()
        .addNewRule()
        .addNewBackendRef()
        .withName("svc") // no port
        .endBackendRef()
        .endRule()
        .endSpec()
        .build();
    var snapshot = new ResourceSnapshot(
        List.of(new GatewayClassBuilder().withNewMetadata()
            .withName("gc")
            .endMetadata()
            .withNewSpec()
            .withControllerName(TranslatorOptions.DEFAULT_CONTROLLER_NAME)
            .endSpec()
            .build()),
        List.of(gateway), List.of(route, new HTTPRouteBuilder().withNewMetadata()
            .withNamespace("default")
            .withName("no-spec")
            .endMetadata()
            .build()),
        List.of(), List.of(), List.of(), List.of(), List.of(), List.of(),
        Map.of("default/gw", "127.0.0.2"));

    var result = translator.translate(snapshot);

    assertThat(result.gateways()).hasSize(1);
    var gatewayStatus = (GatewayStatus) result.statuses().stream()
        .filter(s -> s.object().kind().equals("Gateway"))
        .findFirst()
        .orElseThrow()
        .status();
    assertThat(gatewayStatus.getListeners().get(0).getConditions().get(0).getReason())
        .isEqualTo("PortUnavailable");
    var routeStatus = (HTTPRouteStatus) result.statuses().stream()
        .filter(s -> s.object().name().equals("r"))
        .findFirst()
        .orElseThrow()
        .status();
    assertThat(routeStatus.getParents().get(0).getConditions())
        .extracting(c -> c.getType() + "=" + c.getStatus() + " " + c.getMessage())
        .containsExactly("Accepted=True The route is accepted.",
            "ResolvedRefs=False spec.rules[1].backendRefs[0].port: A port is required for Service"
                + " \"svc\".",
            "PartiallyInvalid=True Dropped Rule(s): spec.rules[0].matches[0].path.value: Regular"
                + " expression \"(unclosed\" is invalid: Unclosed group.");
  }
}
