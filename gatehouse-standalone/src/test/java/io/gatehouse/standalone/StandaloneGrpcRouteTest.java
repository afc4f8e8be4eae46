package io.gatehouse.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.model.GatewayConfig;
import io.gatehouse.model.HttpListener;
import io.gatehouse.model.UpstreamProtocol;
import io.gatehouse.proxy.BindFailure;
import io.gatehouse.translator.Translator;
import io.gatehouse.translator.TranslatorOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Standalone mode with the real translator (the proxy replaced by a recording sink): GRPCRoutes in
 * the configuration directory, v1 and v1alpha2, are loaded, translated into the served
 * configuration and get their status on the admin API.
 */
class StandaloneGrpcRouteTest {
  private static final Duration WAIT = Duration.ofSeconds(15);

  @TempDir
  Path dir;

  private final List<List<GatewayConfig>> applied = new CopyOnWriteArrayList<>();
  private StandaloneGateway gateway;

  @AfterEach
  void close() {
    if (gateway != null) {
      gateway.close();
    }
  }

  @Test
  void grpcRoutesAreServedAndGetStatus() throws Exception {
    Files.writeString(dir.resolve("grpc.yaml"), """
        apiVersion: gateway.networking.k8s.io/v1
        kind: GatewayClass
        metadata: {name: gatehouse}
        spec: {controllerName: gatehouse.io/gateway-controller}
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: gw, namespace: default}
        spec:
          gatewayClassName: gatehouse
          listeners: [{name: http, port: 8080, protocol: HTTP}]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: echo, namespace: default}
        spec:
          ports: [{name: grpc, port: 9000}]
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: GRPCRoute
        metadata: {name: v1, namespace: default}
        spec:
          parentRefs: [{name: gw}]
          hostnames: [v1.example.com]
          rules:
          - matches: [{method: {service: pkg.Echo, method: Ping}}]
            backendRefs: [{name: echo, port: 9000}]
        ---
        apiVersion: gateway.networking.k8s.io/v1alpha2
        kind: GRPCRoute
        metadata: {name: alpha, namespace: default}
        spec:
          parentRefs: [{name: gw}]
          hostnames: [alpha.example.com]
          rules:
          - matches: [{method: {type: Exact}}]
            backendRefs: [{name: echo, port: 9000}]
        """);

    start();

    JsonNode v1 = object("GRPCRoute", "default", "v1");
    assertThat(v1.at("/apiVersion").asText()).isEqualTo("gateway.networking.k8s.io/v1");
    assertThat(condition(v1, "Accepted").path("status").asText()).isEqualTo("True");
    assertThat(condition(v1, "Accepted").path("lastTransitionTime").asText()).isNotEmpty();
    JsonNode alpha = object("GRPCRoute", "default", "alpha");
    assertThat(condition(alpha, "Accepted").path("reason").asText())
        .isEqualTo("UnsupportedValue");
    assertThat(condition(alpha, "Accepted").path("message").asText())
        .contains("spec.rules[0].matches[0].method");
    JsonNode gw = object("Gateway", "default", "gw");
    assertThat(gw.at("/status/listeners/0/attachedRoutes").asInt()).isEqualTo(1);
    assertThat(gw.at("/status/listeners/0/supportedKinds").findValuesAsText("kind"))
        .containsExactly("HTTPRoute", "GRPCRoute");

    GatewayConfig config = applied.get(applied.size() - 1).get(0);
    HttpListener listener = (HttpListener) config.listeners().get(0);
    assertThat(listener.virtualHosts().get(0).routes().get(0).id())
        .isEqualTo("default/v1/rule/0/match/0");
    assertThat(config.clusters().get("service/default/echo/9000/h2c").protocol())
        .isEqualTo(UpstreamProtocol.H2C);
  }

  private void start() throws Exception {
    ConfigSink sink = new ConfigSink() {
      @Override
      public List<BindFailure> apply(long generation, List<GatewayConfig> gateways) {
        applied.add(gateways);
        return List.of();
      }

      @Override
      public void close() {
      }
    };
    gateway = new StandaloneGateway(StandaloneOptions.defaults(dir).withAdminPort(0)
        .withDebounce(Duration.ofMillis(50)),
        new Translator(TranslatorOptions.defaults())::translate, () -> sink);
    gateway.start();
  }

  private JsonNode object(String kind, String namespace, String name) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest
        .newBuilder(URI.create("http://127.0.0.1:" + gateway.adminPort() + "/objects/" + kind
            + "/" + namespace + "/" + name))
        .timeout(WAIT).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return new ObjectMapper().readTree(r.body());
  }

  private static JsonNode condition(JsonNode route, String type) {
    for (JsonNode c : route.at("/status/parents/0/conditions")) {
      if (c.path("type").asText().equals(type)) {
        return c;
      }
    }
    throw new AssertionError("no " + type + " condition in " + route);
  }
}
