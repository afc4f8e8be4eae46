package io.gatehouse.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Gateway addresses and infrastructure metadata end to end: a requested address this host cannot
 * bind (TEST-NET-1) makes the Gateway not Programmed while it serves on its usable address; an
 * IPAddress entry without a value gets an assigned address that serves; the admin API shows the
 * generated Service with {@code spec.infrastructure} labels and annotations.
 */
class GatewayAddressesIT {
  static final String USABLE = "127.0.30.1";
  static final String UNUSABLE = "192.0.2.1";
  @TempDir
  static Path tmp;
  static GatewayHarness h;

  @BeforeAll
  static void start() throws Exception {
    Path dir = tmp.resolve("config");
    Files.createDirectories(dir);
    h = new GatewayHarness(dir);
    h.pod("127.0.31.1", "web-" + Manifests.podSuffix("127.0.31.1"), Manifests.NS);
    h.write("gateways.yaml", Manifests.gatewayClass() + "---\n" + staticGateway() + "---\n"
        + """
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata:
              name: assigned
              namespace: e2e
            spec:
              gatewayClassName: gatehouse
              addresses:
              - type: IPAddress
              infrastructure:
                labels: {team: shop}
                annotations: {cost-center: "42"}
              listeners:
              - name: http
                protocol: HTTP
                port: 80
            """);
    h.write("routes.yaml", String.join("---\n",
        Manifests.service("web", List.of("127.0.31.1")),
        Manifests.route("on-static", "static", "static.example.com", "/=web"),
        Manifests.route("on-assigned", "assigned", "assigned.example.com", "/=web")));
    h.start();
  }

  @AfterAll
  static void stop() {
    h.close();
  }

  /** Gateway "static" asking for the unusable address, then the usable one. */
  static String staticGateway() {
    String addresses = "  - {type: IPAddress, value: " + UNUSABLE + "}\n"
        + "  - {type: IPAddress, value: " + USABLE + "}\n";
    return Manifests.gateway("static", USABLE)
        .replaceFirst("  addresses:\n(.*\n){2}", "  addresses:\n" + addresses);
  }

  @Test
  void unusableAddressIsReportedAndTheUsableOneServesUntilItIsRemoved() throws Exception {
    JsonNode gw = h.admin("/objects/Gateway/e2e/static");
    assertThat(gw.at("/spec/addresses")).hasSize(2);
    assertThat(gw.at("/status/addresses").toString())
        .isEqualTo("[{\"type\":\"IPAddress\",\"value\":\"" + USABLE + "\"}]");
    JsonNode programmed = condition(gw, "Programmed");
    assertThat(programmed.path("status").asText()).isEqualTo("False");
    assertThat(programmed.path("reason").asText()).isEqualTo("AddressNotUsable");
    assertThat(programmed.path("message").asText()).contains("spec.addresses[0]", UNUSABLE);
    assertThat(condition(gw, "Accepted").path("status").asText()).isEqualTo("True");
    assertThat(h.pod(h.get(USABLE, 80, "static.example.com", "/"))).startsWith("web-");

    long generation = h.generation();
    h.write("gateways.yaml", Files.readString(h.dir.resolve("gateways.yaml"))
        .replace("  - {type: IPAddress, value: " + UNUSABLE + "}\n", ""));
    h.awaitGeneration(generation + 1);

    gw = h.admin("/objects/Gateway/e2e/static");
    assertThat(condition(gw, "Programmed").path("reason").asText()).isEqualTo("Programmed");
    assertThat(h.pod(h.get(USABLE, 80, "static.example.com", "/"))).startsWith("web-");
  }

  @Test
  void addressEntryWithoutValueGetsAnAssignedAddressThatServes() throws Exception {
    JsonNode gw = h.admin("/objects/Gateway/e2e/assigned");
    assertThat(gw.at("/spec/addresses/0/value").isMissingNode()).isTrue();
    assertThat(gw.at("/status/addresses/0/type").asText()).isEqualTo("IPAddress");
    String address = gw.at("/status/addresses/0/value").asText();
    assertThat(address).startsWith("127.0.0.");
    assertThat(condition(gw, "Programmed").path("status").asText()).isEqualTo("True");
    assertThat(h.pod(h.get(address, 80, "assigned.example.com", "/"))).startsWith("web-");
  }

  @Test
  void adminApiShowsTheGeneratedServiceWithInfrastructureMetadata() throws Exception {
    JsonNode svc = h.admin("/objects/Service/e2e/gatehouse-assigned");
    assertThat(svc.at("/metadata/labels/team").asText()).isEqualTo("shop");
    assertThat(svc.at("/metadata/labels/gateway.networking.k8s.io~1gateway-name").asText())
        .isEqualTo("assigned");
    assertThat(svc.at("/metadata/annotations/cost-center").asText()).isEqualTo("42");
    JsonNode sa = h.admin("/objects/ServiceAccount/e2e/gatehouse-assigned");
    assertThat(sa.at("/metadata/labels/team").asText()).isEqualTo("shop");
  }

  private static JsonNode condition(JsonNode object, String type) {
    for (JsonNode c : object.at("/status/conditions")) {
      if (c.path("type").asText().equals(type)) {
        return c;
      }
    }
    throw new AssertionError("no " + type + " condition in " + object.at("/status"));
  }
}
