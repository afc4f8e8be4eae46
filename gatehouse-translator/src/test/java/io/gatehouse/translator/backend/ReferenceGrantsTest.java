package io.gatehouse.translator.backend;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrant;
import io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrantBuilder;
import io.gatehouse.translator.backend.ReferenceGrants.Kind;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReferenceGrantsTest {
  /** In namespace "backends": HTTPRoutes of "apps" may use Service "echo" and any Backend. */
  private static final ReferenceGrants GRANTS = new ReferenceGrants(List.of(
      grant("echo", ""), grant("", "gateway.envoyproxy.io")));

  @ParameterizedTest(name = "{0} -> {1}/{2}/{3}: {4}")
  @CsvSource({
      "apps,   Service, backends, echo,  true",
      "apps,   Service, backends, other, false",
      "apps,   Backend, backends, any,   true",
      "web,    Service, backends, echo,  false",
      "apps,   Service, elsewhere, echo, false",
      "apps,   Service, apps,     x,     true"})
  void permits(String from, String kind, String toNs, String toName, boolean expected) {
    Kind to = kind.equals("Service") ? Kind.SERVICE : Kind.BACKEND;
    assertThat(GRANTS.permits(Kind.HTTP_ROUTE, from, to, toNs, toName)).isEqualTo(expected);
  }

  private static ReferenceGrant grant(String name, String group) {
    return new ReferenceGrantBuilder().withNewMetadata()
        .withNamespace("backends")
        .withName("g-" + group + name)
        .endMetadata()
        .withNewSpec()
        .addNewFrom()
        .withGroup("gateway.networking.k8s.io")
        .withKind("HTTPRoute")
        .withNamespace("apps")
        .endFrom()
        .addNewTo()
        .withGroup(group)
        .withKind(group.isEmpty() ? "Service" : "Backend")
        .withName(name.isEmpty() ? null : name)
        .endTo()
        .endSpec()
        .build();
  }
}
