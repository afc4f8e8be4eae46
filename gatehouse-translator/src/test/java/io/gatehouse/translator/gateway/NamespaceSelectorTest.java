package io.gatehouse.translator.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NamespaceSelectorTest {
  private static final NamespaceSelector NAMESPACES = new NamespaceSelector(List.of(
      new NamespaceBuilder().withNewMetadata()
          .withName("team-a")
          .withLabels(Map.of("env", "prod"))
          .endMetadata()
          .build()));

  @ParameterizedTest(name = "{0} {1} {2} on {3}: {4}")
  @CsvSource({
      "env, In, prod, team-a, true",
      "env, In, dev, team-a, false",
      "env, NotIn, dev, team-a, true",
      "env, Exists, '', team-a, true",
      "env, Exists, '', unknown, false",
      "env, DoesNotExist, '', unknown, true",
      "kubernetes.io/metadata.name, In, team-a, team-a, true",
      "kubernetes.io/metadata.name, In, team-a, unknown, false",
      "env, Bogus, prod, team-a, false"})
  void matchExpressions(String key, String op, String value, String ns, boolean expected) {
    LabelSelector selector = new LabelSelectorBuilder().addNewMatchExpression()
        .withKey(key)
        .withOperator(op)
        .withValues(value.isEmpty() ? List.of() : List.of(value))
        .endMatchExpression()
        .build();
    assertThat(NAMESPACES.matches(selector, ns)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "matchLabels env={0} on {1}: {2}")
  @CsvSource({"prod, team-a, true", "dev, team-a, false", "prod, unknown, false"})
  void matchLabels(String env, String ns, boolean expected) {
    LabelSelector selector = new LabelSelectorBuilder().withMatchLabels(Map.of("env", env)).build();
    assertThat(NAMESPACES.matches(selector, ns)).isEqualTo(expected);
  }
}
