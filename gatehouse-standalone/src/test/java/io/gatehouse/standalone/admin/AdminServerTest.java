package io.gatehouse.standalone.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayStatus;
import io.gatehouse.model.Action;
import io.gatehouse.model.Cluster;
import io.gatehouse.model.Endpoint;
import io.gatehouse.model.GatewayConfig;
import io.gatehouse.model.GatewayRef;
import io.gatehouse.model.HttpListener;
import io.gatehouse.model.PathMatch;
import io.gatehouse.model.Route;
import io.gatehouse.model.RouteMatch;
import io.gatehouse.model.UpstreamProtocol;
import io.gatehouse.model.VirtualHost;
import io.gatehouse.model.WeightedCluster;
import io.gatehouse.proxy.BindFailure;
import io.gatehouse.standalone.file.FileError;
import io.gatehouse.standalone.file.SourceSnapshot;
import io.gatehouse.translator.ObjectRef;
import io.gatehouse.translator.ResourceSnapshot;
import io.gatehouse.translator.StatusUpdate;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AdminServerTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final ObjectMapper json = new ObjectMapper();
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
  private final StatusStore store = new StatusStore();
  private AdminServer server;

  @BeforeEach
  void start() throws IOException {
    server = AdminServer.start("127.0.0.1", 0, store);
  }

  @AfterEach
  void stop() {
    server.close();
    client.close();
  }

  @Test
  void readyOnlyOnceAConfigurationIsApplied() throws Exception {
    assertThat(get("/ready").statusCode()).isEqualTo(503);

    store.updateApplied(1, List.of(), List.of());

    HttpResponse<String> ready = get("/ready");
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.body()).isEqualTo("ready");
  }

  @Test
  void generationReportsAppliedAndLoadGenerationsAndErrorCount() throws Exception {
    fill();

    JsonNode body = getJson("/generation");

    assertThat(body).isEqualTo(json.readTree(
        "{\"generation\": 3, \"loadGeneration\": 5, \"errors\": 2}"));
  }

  @Test
  void objectsIsAKubectlListWithComputedStatuses() throws Exception {
    fill();

    JsonNode list = getJson("/objects");

    assertThat(list.path("apiVersion").asText()).isEqualTo("v1");
    assertThat(list.path("kind").asText()).isEqualTo("List");
    // The loaded Gateway and Namespace, then what Kubernetes mode would generate for the Gateway.
    assertThat(list.path("items")).extracting(i -> i.path("kind").asText())
        .containsExactly("Gateway", "Namespace", "ServiceAccount", "Service");
    JsonNode gateway = list.path("items").get(0);
    assertThat(gateway.path("kind").asText()).isEqualTo("Gateway");
    assertThat(gateway.at("/status/conditions/0/type").asText()).isEqualTo("Accepted");
    assertThat(gateway.at("/status/conditions/0/lastTransitionTime").asText()).isNotEmpty();
  }

  @Test
  void objectByKindNamespaceAndName() throws Exception {
    fill();

    JsonNode gateway = getJson("/objects/Gateway/default/gw");
    assertThat(gateway.at("/metadata/name").asText()).isEqualTo("gw");
    assertThat(gateway.at("/status/conditions/0/status").asText()).isEqualTo("True");
    assertThat(getJson("/objects/namespace/-/default").at("/metadata/name").asText())
        .isEqualTo("default");

    assertThat(get("/objects/Gateway/default/missing").statusCode()).isEqualTo(404);
    assertThat(get("/objects/Gateway/other/gw").statusCode()).isEqualTo(404);
    assertThat(get("/objects/Gateway/gw").statusCode()).isEqualTo(404);
  }

  @Test
  void configDumpIsTheAppliedModelWithVariantNames() throws Exception {
    fill();

    JsonNode dump = getJson("/config_dump");

    assertThat(dump).hasSize(1);
    assertThat(dump.at("/0/gateway/name").asText()).isEqualTo("gw");
    JsonNode listener = dump.at("/0/listeners/0");
    assertThat(listener.path("type").asText()).isEqualTo("HttpListener");
    JsonNode route = listener.at("/virtualHosts/0/routes/0");
    assertThat(route.at("/match/path/type").asText()).isEqualTo("Prefix");
    assertThat(route.at("/action/type").asText()).isEqualTo("Forward");
    assertThat(dump.at("/0/clusters/service~1default~1echo~180/endpoints/0/port").asInt())
        .isEqualTo(3000);
  }

  @Test
  void errorsListsFileErrorsWarningsAndBindFailures() throws Exception {
    fill();

    JsonNode errors = getJson("/errors");

    assertThat(errors.at("/fileErrors/0")).isEqualTo(json.readTree(
        "{\"path\": \"a.yaml\", \"line\": 4, \"column\": 9, \"message\": \"Broken.\"}"));
    assertThat(errors.at("/warnings/0/message").asText()).isEqualTo("Unknown kind.");
    assertThat(errors.at("/bindFailures/0/address").asText()).isEqualTo("127.0.0.2:80");
  }

  @Test
  void statsAreTheCountersOfTheSupplierReadPerRequest() throws Exception {
    AtomicLong clTe = new AtomicLong();
    try (AdminServer withStats = AdminServer.start("127.0.0.1", 0, store,
        () -> Map.of("cl_te", clTe.get(), "overload", 0L))) {
      URI stats = URI.create("http://127.0.0.1:" + withStats.port() + "/stats");
      HttpResponse<String> before = client.send(HttpRequest.newBuilder(stats).timeout(TIMEOUT)
          .GET().build(), HttpResponse.BodyHandlers.ofString());
      assertThat(before.statusCode()).isEqualTo(200);
      assertThat(json.readTree(before.body()).at("/downstream_rq_rejected/cl_te").asLong())
          .isZero();
      clTe.incrementAndGet();
      HttpResponse<String> after = client.send(HttpRequest.newBuilder(stats).timeout(TIMEOUT)
          .GET().build(), HttpResponse.BodyHandlers.ofString());
      assertThat(json.readTree(after.body()).get("downstream_rq_rejected")).isEqualTo(
          json.readTree("{\"cl_te\": 1, \"overload\": 0}"));
    }
    // Without a supplier: an empty map.
    assertThat(json.readTree(get("/stats").body()).get("downstream_rq_rejected").size())
        .isZero();
  }

  @Test
  void settingsAreTheGivenTreeAsJsonAnd404WithoutThem() throws Exception {
    var tree = json.createObjectNode();
    tree.putObject("headers").put("maxCount", 20).put("maxBytes", "60Ki");
    try (AdminServer withSettings = AdminServer.start("127.0.0.1", 0, store, Map::of, tree)) {
      tree.putObject("later"); // the server keeps its own copy
      HttpResponse<String> settings = client.send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + withSettings.port() + "/settings")).timeout(TIMEOUT)
          .GET().build(), HttpResponse.BodyHandlers.ofString());
      assertThat(settings.statusCode()).isEqualTo(200);
      assertThat(settings.headers().firstValue("Content-Type")).hasValue("application/json");
      assertThat(json.readTree(settings.body())).isEqualTo(
          json.readTree("{\"headers\": {\"maxCount\": 20, \"maxBytes\": \"60Ki\"}}"));
    }
    assertThat(get("/settings").statusCode()).isEqualTo(404);
  }

  @Test
  void unknownPathIs404AndOtherMethodsAre405() throws Exception {
    assertThat(get("/nope").statusCode()).isEqualTo(404);
    assertThat(get("/").statusCode()).isEqualTo(404);
    assertThat(get("/ready/").statusCode()).isEqualTo(404);

    HttpResponse<String> post = client.send(
        HttpRequest.newBuilder(uri("/ready")).timeout(TIMEOUT)
            .POST(HttpRequest.BodyPublishers.ofString("x")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("Allow")).hasValue("GET");
  }

  @Test
  void listensOn127001Only() {
    assertThat(server.address().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
    // 127.0.0.2 is loopback too on Linux, so a wildcard or 127/8 bind would accept this.
    assertThatThrownBy(() -> {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.2", server.port()), 2000);
      }
    }).isInstanceOf(ConnectException.class);
  }

  @Test
  void refusesNonLoopbackAddresses() {
    assertThatThrownBy(() -> AdminServer.start("0.0.0.0", 0, store))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private void fill() {
    HasMetadata gateway = new GatewayBuilder().withNewMetadata().withName("gw")
        .withNamespace("default").endMetadata().withNewSpec().withGatewayClassName("gc")
        .endSpec().build();
    gateway.setApiVersion("gateway.networking.k8s.io/v1");
    HasMetadata namespace = new NamespaceBuilder().withNewMetadata().withName("default")
        .endMetadata().build();
    store.updateObjects(new SourceSnapshot(5, ResourceSnapshot.empty(),
        List.of(gateway, namespace),
        List.of(new FileError("a.yaml", 4, 9, "Broken.")),
        List.of(new FileError("b.yaml", 1, 1, "Unknown kind."))));
    GatewayStatus status = new GatewayStatus();
    status.setConditions(List.of(new ConditionBuilder().withType("Accepted").withStatus("True")
        .withReason("Accepted").withMessage("Accepted.").withObservedGeneration(1L).build()));
    store.updateStatuses(List.of(new StatusUpdate(new ObjectRef("Gateway", "default", "gw"),
        status)));
    store.updateApplied(3, List.of(config()),
        List.of(new BindFailure("default/gw/80", "127.0.0.2:80", "Permission denied")));
  }

  private static GatewayConfig config() {
    Route route = new Route("default/r/rule/0/match/0",
        new RouteMatch(new PathMatch.Prefix("/"), null, List.of(), List.of()), List.of(),
        new Action.Forward(List.of(new WeightedCluster("service/default/echo/80", 1)), 0));
    return new GatewayConfig(new GatewayRef("default", "gw"), 1,
        List.of(new HttpListener("default/gw/80", "127.0.0.2", 80,
            List.of(new VirtualHost(List.of("*"), List.of(route))))),
        Map.of("service/default/echo/80", new Cluster("service/default/echo/80",
            List.of(new Endpoint("127.0.0.1", 3000, 1)), UpstreamProtocol.HTTP1)));
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return client.send(HttpRequest.newBuilder(uri(path)).timeout(TIMEOUT).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode getJson(String path) throws IOException, InterruptedException {
    HttpResponse<String> response = get(path);
    assertThat(response.statusCode()).as(path).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    return json.readTree(response.body());
  }
}
