package io.gatehouse.translator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClassStatusBuilder;
import io.gatehouse.model.Action;
import io.gatehouse.model.PathMatch;
import io.gatehouse.model.PathRewrite;
import io.gatehouse.model.SecretValue;
import io.gatehouse.model.ServerCertificate;
import io.gatehouse.model.RouteMatch;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResultFormatTest {
  @Test
  void sealedVariantsCarryTheirType() throws Exception {
    String json = ResultFormat.jsonMapper()
        .writeValueAsString(RouteMatch.of(new PathMatch.Exact("/a")));
    assertThat(json).isEqualTo(
        "{\"path\":{\"type\":\"Exact\",\"value\":\"/a\"},\"headers\":[],\"queryParams\":[]}");
  }

  @Test
  void secretValuesAreRedacted() throws Exception {
    var cert = new ServerCertificate(List.of("*"), "CHAIN", SecretValue.of("KEY-MATERIAL"),
        "Secret/ns/s");
    String json = ResultFormat.jsonMapper().writeValueAsString(cert);
    assertThat(json).contains("\"privateKeyPem\":\"<redacted>\"").doesNotContain("KEY-MATERIAL");
  }

  @Test
  void redirectsShowTheirPathRewriteType() throws Exception {
    var redirect = new Action.Redirect("https", null, new PathRewrite.ReplacePrefixMatch("/a",
        "/b"), null, 302);
    assertThat(ResultFormat.jsonMapper().writeValueAsString(redirect)).isEqualTo(
        "{\"type\":\"Redirect\",\"scheme\":\"https\",\"path\":{\"type\":"
            + "\"ReplacePrefixMatch\",\"matchedPrefix\":\"/a\",\"replacement\":\"/b\"},"
            + "\"statusCode\":302}");
  }

  @Test
  void statusesNameTheirObject() {
    var update = new StatusUpdate(new ObjectRef("GatewayClass", "", "gc"),
        new GatewayClassStatusBuilder().build());
    String yaml = ResultFormat.toYaml(new TranslationResult(List.of(), List.of(update)));
    assertThat(yaml).contains("- object: GatewayClass/gc\n    status:");
  }

  @Test
  void serialisesInputObjectsLikeKubectl() throws Exception {
    var service = new io.fabric8.kubernetes.api.model.ServiceBuilder().withNewMetadata()
        .withName("echo")
        .endMetadata()
        .withNewSpec()
        .addNewPort()
        .withPort(80)
        .withTargetPort(new io.fabric8.kubernetes.api.model.IntOrString(3000))
        .endPort()
        .endSpec()
        .build();
    var backend = new io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder()
        .withApiVersion("gateway.envoyproxy.io/v1alpha1")
        .withKind("Backend")
        .withNewMetadata()
        .withName("b")
        .endMetadata()
        .withAdditionalProperties(java.util.Map.of("spec", java.util.Map.of("x", 1)))
        .build();
    var mapper = ResultFormat.jsonMapper();
    assertThat(mapper.writeValueAsString(service)).isEqualTo("{\"apiVersion\":\"v1\","
        + "\"kind\":\"Service\",\"metadata\":{\"name\":\"echo\"},"
        + "\"spec\":{\"ports\":[{\"port\":80,\"targetPort\":3000}]}}");
    assertThat(mapper.writeValueAsString(backend)).isEqualTo("{\"apiVersion\":"
        + "\"gateway.envoyproxy.io/v1alpha1\",\"kind\":\"Backend\",\"metadata\":"
        + "{\"name\":\"b\"},\"spec\":{\"x\":1}}");
  }
}
