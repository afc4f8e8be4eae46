package io.gatehouse.testing;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.handler.codec.http2.Http2Error;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The echo server over cleartext HTTP/2: {@code Upgrade: h2c} and prior knowledge, and h2c-only
 * mode.
 */
class EchoH2cIT {

  private static final String NAMESPACE = "gateway-conformance-infra";
  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension
  static EchoExtension echo = EchoExtension.pod("infra-backend-v1-7c9d8b5f6d-x2x9z", NAMESPACE);

  @RegisterExtension
  static EchoExtension h2cOnly = EchoExtension
      .of(EchoOptions.of("127.0.0.1", 0, "infra-backend-v1-7c9d8b5f6d-k8k8k", NAMESPACE)
          .withH2cOnly(true));

  @BeforeAll
  static void installLeakCheck() {
    LeakReports.install();
  }

  @AfterAll
  static void checkLeaks() throws InterruptedException {
    LeakReports.assertNone();
  }

  private static HttpClient client(HttpClient.Version version) {
    return HttpClient.newBuilder().version(version).connectTimeout(Duration.ofSeconds(5)).build();
  }

  private static HttpResponse<String> get(HttpClient client, EchoExtension pod, String pathAndQuery)
      throws Exception {
    HttpRequest request = HttpRequest
        .newBuilder(URI.create("http://127.0.0.1:" + pod.port() + pathAndQuery))
        .header("x-header-set", "a")
        .timeout(Duration.ofSeconds(10))
        .build();
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void jdkClientUpgradesWithUpgradeH2c() throws Exception {
    try (HttpClient client = client(HttpClient.Version.HTTP_2)) {
      HttpResponse<String> upgraded = get(client, echo, "/upgrade?x=1");
      HttpResponse<String> next = get(client, echo, "/next");

      assertThat(upgraded.version()).isEqualTo(HttpClient.Version.HTTP_2);
      assertThat(upgraded.headers().allValues("content-type")).containsExactly("application/json");
      JsonNode body = JSON.readTree(upgraded.body());
      assertThat(body.get("proto").asText()).isEqualTo("HTTP/2.0");
      assertThat(body.get("path").asText()).isEqualTo("/upgrade?x=1");
      assertThat(body.get("host").asText()).isEqualTo("127.0.0.1:" + echo.port());
      assertThat(body.get("headers").get("X-Header-Set").toString()).isEqualTo("[\"a\"]");
      assertThat(body.get("headers").has("Upgrade")).isFalse();
      assertThat(body.get("headers").has("Http2-Settings")).isFalse();
      assertThat(JSON.readTree(next.body()).get("proto").asText()).isEqualTo("HTTP/2.0");
    }
  }

  @Test
  void discardsLargeHttp2BodiesWithoutStallingFlowControl() throws Exception {
    byte[] body = new byte[1 << 20]; // 16 times the initial HTTP/2 window
    try (HttpClient client = client(HttpClient.Version.HTTP_2)) {
      get(client, echo, "/upgrade-first");
      HttpResponse<String> response = client.send(HttpRequest
          .newBuilder(URI.create("http://127.0.0.1:" + echo.port() + "/big"))
          .timeout(Duration.ofSeconds(10))
          .POST(HttpRequest.BodyPublishers.ofByteArray(body))
          .build(), HttpResponse.BodyHandlers.ofString());

      assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
      JsonNode echoed = JSON.readTree(response.body());
      assertThat(echoed.get("method").asText()).isEqualTo("POST");
      assertThat(echoed.get("proto").asText()).isEqualTo("HTTP/2.0");
    }
  }

  @Test
  void priorKnowledgeClientGetsHttp2Echo() throws Exception {
    try (var client = new H2cPriorKnowledgeClient(echo.address())) {
      var response = client
          .get("/prior?x=1", "echo.example", "x-lower-case", "v", "x-echo-set-header", "X-Foo:bar")
          .get(10, SECONDS);

      assertThat(response.status()).isEqualTo(200);
      assertThat(response.headers().get("content-type")).hasToString("application/json");
      assertThat(response.headers().get("x-content-type-options")).hasToString("nosniff");
      assertThat(response.headers().get("x-foo")).hasToString("bar");
      JsonNode body = JSON.readTree(response.body());
      assertThat(body.get("proto").asText()).isEqualTo("HTTP/2.0");
      assertThat(body.get("path").asText()).isEqualTo("/prior?x=1");
      assertThat(body.get("host").asText()).isEqualTo("echo.example");
      assertThat(body.get("headers").get("X-Lower-Case").toString()).isEqualTo("[\"v\"]");
    }
  }

  @Test
  void aDelayedStreamDoesNotHoldBackOthersOnTheConnection() throws Exception {
    try (var client = new H2cPriorKnowledgeClient(echo.address())) {
      CompletableFuture<H2cPriorKnowledgeClient.Response> slow = client.get("/slow?delay=2s",
          "echo.example");
      var fast = client.get("/fast", "echo.example").get(10, SECONDS);

      assertThat(fast.status()).isEqualTo(200);
      assertThat(slow).isNotDone();
      assertThat(slow.get(10, SECONDS).status()).isEqualTo(200);
    }
  }

  @Test
  void retryAbortResetsTheStream() throws Exception {
    String uri = "/retry/x?uuid=" + UUID.randomUUID() + "&succeedAfter=1";
    try (var client = new H2cPriorKnowledgeClient(echo.address())) {
      assertThat(client.get(uri, "echo.example").get(10, SECONDS).resetCode())
          .isEqualTo(Http2Error.INTERNAL_ERROR.code());
      assertThat(client.get(uri, "echo.example").get(10, SECONDS).status()).isEqualTo(200);
    }
  }

  @Test
  void h2cOnlyPortRejectsPlainHttp1() throws Exception {
    try (HttpClient client = client(HttpClient.Version.HTTP_1_1)) {
      HttpResponse<String> response = get(client, h2cOnly, "/");

      assertThat(response.statusCode()).isEqualTo(400);
      assertThat(response.body()).isEqualTo("Expected h2c request");
    }
    assertThat(h2cOnly.server().requests()).noneMatch(entry -> entry.uri().equals("/"));
  }

  @Test
  void h2cOnlyPortEchoesUpgradeAndPriorKnowledge() throws Exception {
    try (HttpClient client = client(HttpClient.Version.HTTP_2)) {
      HttpResponse<String> upgraded = get(client, h2cOnly, "/h2c-only");
      assertThat(upgraded.statusCode()).isEqualTo(200);
      assertThat(JSON.readTree(upgraded.body()).get("proto").asText()).isEqualTo("HTTP/2.0");
    }
    try (var client = new H2cPriorKnowledgeClient(h2cOnly.address())) {
      var response = client.get("/h2c-only-prior", "echo.example").get(10, SECONDS);
      assertThat(response.status()).isEqualTo(200);
      assertThat(JSON.readTree(response.body()).get("proto").asText()).isEqualTo("HTTP/2.0");
    }
  }
}
