package io.gatehouse.translator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClassStatusBuilder;
import io.gatehouse.model.PathMatch;
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
  void statusesNameTheirObject() {
    var update = new StatusUpdate(new ObjectRef("GatewayClass", "", "gc"),
        new GatewayClassStatusBuilder().build());
    String yaml = ResultFormat.toYaml(new TranslationResult(List.of(), List.of(update)));
    assertThat(yaml).contains("- object: GatewayClass/gc\n    status:");
  }
}
