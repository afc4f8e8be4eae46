package io.gatehouse.translator.golden;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClassBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayStatus;
import io.gatehouse.model.HttpsListener;
import io.gatehouse.translator.Namespaces;
import io.gatehouse.translator.ResourceSnapshot;
import io.gatehouse.translator.StatusUpdate;
import io.gatehouse.translator.TranslationResult;
import io.gatehouse.translator.Translator;
import io.gatehouse.translator.TranslatorOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Translates the conformance suite's base manifests together with the manifests of each core
 * GATEWAY-HTTP case (from {@code ../shared/conformance}; fails when that folder is absent): the
 * translator must never throw, and the base Gateways must stay Accepted and Programmed whatever a
 * case adds. The Secrets the conformance runner generates are stood in for by a fixed self-signed
 * certificate.
 */
class ConformanceManifestsTest {
  private static final String CLASS = "gatehouse-conformance";
  private static final List<String> CORE_CASES = List.of("GatewayClassObservedGenerationBump",
      "GatewayInvalidParametersRef", "GatewayInvalidTLSConfiguration",
      "GatewayListenerUnsupportedProtocol", "GatewayNameMaximumLength",
      "GatewaySecretInvalidReferenceGrant", "GatewaySecretMissingReferenceGrant",
      "GatewaySecretReferenceGrantSpecific", "GatewayWithAttachedRoutes",
      "HTTPRouteExactPathMatching", "HTTPRouteHTTPSListener", "HTTPRouteHeaderMatching",
      "HTTPRouteInvalidBackendRefUnknownKind", "HTTPRouteInvalidCrossNamespaceBackendRef",
      "HTTPRouteInvalidCrossNamespaceParentRef", "HTTPRouteInvalidNonExistentBackendRef",
      "HTTPRouteInvalidParentRefNotMatchingSectionName", "HTTPRouteInvalidReferenceGrant",
      "HTTPRouteListenerHostnameMatching", "HTTPRouteMatching", "HTTPRouteNoBackendRefs",
      "HTTPRouteObservedGenerationBump", "HTTPRoutePathMatchOrder",
      "HTTPRouteRedirectHostAndStatus", "HTTPRouteReferenceGrant",
      "HTTPRouteRequestHeaderModifier", "HTTPRouteSimpleSameNamespace", "HTTPRouteWeight",
      "HTTPRouteDisallowedKind");
  private static final List<String> BASE_GATEWAYS = List.of("same-namespace",
      "same-namespace-with-https-listener", "all-namespaces", "backend-namespaces");
  private static final @Nullable Path CONFORMANCE = findConformance();

  static Stream<String> cases() {
    return CORE_CASES.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void baseGatewaysStayReady(String caseName) throws IOException {
    // Never skipped: the suite is always beside the checkout (../shared), in CI too.
    assertThat(CONFORMANCE).as("../shared/conformance (-Dconformance.dir)").isNotNull();
    StringBuilder yaml = new StringBuilder(
        read(CONFORMANCE.resolve("manifests/base/manifests.yaml")));
    JsonNode spec = YAMLMapper.builder().build()
        .readTree(read(CONFORMANCE.resolve("cases/" + caseName + ".yaml")));
    for (JsonNode m : spec.path("manifests")) {
      yaml.append("\n---\n").append(read(CONFORMANCE.resolve("manifests/" + m.asText())));
    }
    String text = yaml.toString()
        .replace("{GATEWAY_CLASS_NAME}", CLASS)
        .replace("{GATEWAY_CONTROLLER_NAME}", TranslatorOptions.DEFAULT_CONTROLLER_NAME);
    TranslationResult result = new Translator(TranslatorOptions.defaults())
        .translate(withRunnerObjects(SnapshotLoader.load(text, true)));

    for (String name : BASE_GATEWAYS) {
      GatewayStatus status = gatewayStatus(result, name);
      assertThat(condition(status, "Accepted")).as("%s Accepted", name).isEqualTo("True");
      assertThat(condition(status, "Programmed")).as("%s Programmed", name).isEqualTo("True");
    }
    assertThat(result.gateways())
        .filteredOn(g -> g.gateway().name().equals("same-namespace-with-https-listener"))
        .singleElement()
        .satisfies(g -> assertThat(g.listeners()).singleElement()
            .isInstanceOfSatisfying(HttpsListener.class,
                l -> assertThat(l.certificates()).isNotEmpty()));
  }

  /** Adds what the conformance runner provides: our GatewayClass, Secrets, Gateway addresses. */
  private static ResourceSnapshot withRunnerObjects(ResourceSnapshot s) throws IOException {
    var classes = new ArrayList<>(s.gatewayClasses());
    classes.add(new GatewayClassBuilder().withNewMetadata()
        .withName(CLASS)
        .endMetadata()
        .withNewSpec()
        .withControllerName(TranslatorOptions.DEFAULT_CONTROLLER_NAME)
        .endSpec()
        .build());
    var secrets = new ArrayList<>(s.secrets());
    secrets.add(secret("gateway-conformance-infra", "tls-validity-checks-certificate"));
    secrets.add(secret("gateway-conformance-web-backend", "certificate"));
    Map<String, String> addresses = new HashMap<>();
    int next = 2;
    for (Gateway g : s.gateways()) {
      addresses.put(Namespaces.of(g) + "/" + g.getMetadata().getName(), "127.0.0." + next++);
    }
    return new ResourceSnapshot(classes, s.gateways(), s.httpRoutes(), s.referenceGrants(),
        s.namespaces(), s.services(), s.endpointSlices(), secrets, s.backends(), addresses,
        s.unusableAddresses(), s.listenerSets());
  }

  private static io.fabric8.kubernetes.api.model.Secret secret(String ns, String name)
      throws IOException {
    return new SecretBuilder().withNewMetadata()
        .withNamespace(ns)
        .withName(name)
        .endMetadata()
        .withType("kubernetes.io/tls")
        .withData(Map.of("tls.crt", base64(fixture("self-signed.crt")), "tls.key",
            base64(fixture("self-signed.key"))))
        .build();
  }

  private static GatewayStatus gatewayStatus(TranslationResult result, String name) {
    return result.statuses().stream()
        .filter(u -> u.object().kind().equals("Gateway") && u.object().name().equals(name))
        .map(StatusUpdate::status)
        .map(GatewayStatus.class::cast)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no status for Gateway " + name));
  }

  private static @Nullable String condition(GatewayStatus status, String type) {
    return status.getConditions().stream()
        .filter(c -> c.getType().equals(type))
        .map(Condition::getStatus)
        .findFirst()
        .orElse(null);
  }

  private static String fixture(String name) throws IOException {
    try (InputStream in = Objects.requireNonNull(
        ConformanceManifestsTest.class.getResourceAsStream("/conformance/" + name), name)) {
      return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    }
  }

  private static String base64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.US_ASCII));
  }

  private static String read(Path p) throws IOException {
    return Files.readString(p, StandardCharsets.UTF_8);
  }

  /**
   * {@code -Dconformance.dir} (the build sets it to {@code ../shared/conformance}), else
   * {@code shared/conformance} next to any parent of the working directory (the module runs in
   * {@code main/gatehouse-translator}, the cases live in {@code shared/conformance}).
   */
  private static @Nullable Path findConformance() {
    String configured = System.getProperty("conformance.dir");
    if (configured != null) {
      return Files.isDirectory(Path.of(configured)) ? Path.of(configured) : null;
    }
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path candidate = p.resolve("shared/conformance");
      if (Files.isDirectory(candidate.resolve("manifests/base"))) {
        return candidate;
      }
    }
    return null;
  }
}
