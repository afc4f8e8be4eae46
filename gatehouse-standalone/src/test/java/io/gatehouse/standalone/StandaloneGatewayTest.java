package io.gatehouse.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.model.GatewayConfig;
import io.gatehouse.model.GatewayRef;
import io.gatehouse.model.HeaderPolicy;
import io.gatehouse.proxy.BindFailure;
import io.gatehouse.proxy.ProxyOptions;
import io.gatehouse.standalone.settings.SettingsFile;
import io.gatehouse.translator.ResourceSnapshot;
import io.gatehouse.translator.TranslationResult;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The wiring, with a fake translator and a fake proxy (the real ones are tested elsewhere and
 * together in gatehouse-it).
 */
class StandaloneGatewayTest {
  private static final Duration WAIT = Duration.ofSeconds(15);

  @TempDir
  Path dir;

  private final List<Long> applied = new CopyOnWriteArrayList<>();
  private final AtomicBoolean sinkClosed = new AtomicBoolean();
  private final AtomicBoolean translatorBroken = new AtomicBoolean();
  private StandaloneGateway gateway;

  @AfterEach
  void close() {
    if (gateway != null) {
      gateway.close();
    }
  }

  private void start() throws Exception {
    start(ProxyOptions.defaults());
  }

  private void start(ProxyOptions proxy) throws Exception {
    Function<ResourceSnapshot, TranslationResult> translator = snapshot -> {
      if (translatorBroken.get()) {
        throw new IllegalStateException("bug");
      }
      List<GatewayConfig> configs = snapshot.gateways().stream()
          .map(g -> new GatewayConfig(new GatewayRef(g.getMetadata().getNamespace(),
              g.getMetadata().getName()), g.getMetadata().getGeneration(), List.of(), Map.of()))
          .toList();
      return new TranslationResult(configs, List.of());
    };
    ConfigSink sink = new ConfigSink() {
      @Override
      public List<BindFailure> apply(long generation, List<GatewayConfig> gateways) {
        applied.add(generation);
        return List.of();
      }

      @Override
      public void close() {
        sinkClosed.set(true);
      }
    };
    gateway = new StandaloneGateway(StandaloneOptions.defaults(dir).withAdminPort(0)
        .withDebounce(Duration.ofMillis(50)).withProxy(proxy), translator, () -> sink);
    gateway.start();
  }

  @Test
  void firstLoadIsAppliedAsGenerationOneBeforeStartReturns() throws Exception {
    write(gatewayYaml(80));

    start();

    assertThat(gateway.appliedGeneration()).isEqualTo(1);
    assertThat(applied).containsExactly(1L);
    assertThat(gateway.statusStore().config()).hasSize(1);
    HttpResponse<String> ready = HttpClient.newHttpClient().send(HttpRequest
        .newBuilder(URI.create("http://127.0.0.1:" + gateway.adminPort() + "/ready"))
        .timeout(WAIT).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(ready.statusCode()).isEqualTo(200);
  }

  @Test
  void changeIsAppliedAsTheNextGeneration() throws Exception {
    write(gatewayYaml(80));
    start();

    write(gatewayYaml(8080));

    assertThat(gateway.awaitGeneration(2, WAIT)).isTrue();
    assertThat(applied).containsExactly(1L, 2L);
    assertThat(gateway.statusStore().config().get(0).generation()).isEqualTo(2);
  }

  @Test
  void loadThatChangesNoResourceIsNotApplied() throws Exception {
    write(gatewayYaml(80));
    start();

    write("# only a comment changed\n" + gatewayYaml(80));

    await(() -> gateway.statusStore().loadGeneration() >= 2);
    // The store records a load and its generation atomically, so an apply would show here.
    assertThat(gateway.statusStore().appliedGeneration()).isEqualTo(1);
    assertThat(applied).containsExactly(1L);
  }

  @Test
  void translatorBugKeepsTheLastGoodGeneration() throws Exception {
    write(gatewayYaml(80));
    start();
    translatorBroken.set(true);

    write(gatewayYaml(81));
    await(() -> gateway.statusStore().loadGeneration() >= 2);
    assertThat(gateway.statusStore().appliedGeneration()).isEqualTo(1);
    assertThat(gateway.awaitGeneration(2, Duration.ofMillis(1))).isFalse();
    assertThat(gateway.statusStore().loadGeneration()).isEqualTo(2);

    translatorBroken.set(false);
    write(gatewayYaml(82));
    assertThat(gateway.awaitGeneration(2, WAIT)).isTrue();
  }

  @Test
  void adminApiShowsTheProxySettingsAsASettingsFileReadsThem() throws Exception {
    ProxyOptions proxy = ProxyOptions.defaults().withWorkerThreads(3)
        .withHeaders(HeaderPolicy.DEFAULT.withUnderscores(HeaderPolicy.UnderscoreAction.DROP));
    write(gatewayYaml(80));
    start(proxy);

    HttpResponse<String> settings = HttpClient.newHttpClient().send(HttpRequest
        .newBuilder(URI.create("http://127.0.0.1:" + gateway.adminPort() + "/settings"))
        .timeout(WAIT).build(), HttpResponse.BodyHandlers.ofString());

    assertThat(settings.statusCode()).isEqualTo(200);
    assertThat(settings.body()).contains("\"underscores\" : \"DROP\"");
    // JSON is YAML: the body is a settings file that reads back as the options served.
    assertThat(SettingsFile.parse("GET /settings", settings.body())).isEqualTo(proxy);
  }

  @Test
  void closeClosesTheProxy() throws Exception {
    start();

    gateway.close();

    assertThat(sinkClosed).isTrue();
  }

  private void write(String yaml) throws Exception {
    Files.writeString(dir.resolve("gw.yaml"), yaml);
  }

  private static String gatewayYaml(int port) {
    return """
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: gw}
        spec:
          gatewayClassName: gc
          listeners: [{name: http, port: %d, protocol: HTTP}]
        """.formatted(port);
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime() - deadline).as("condition within " + WAIT).isNegative();
      Thread.sleep(10);
    }
  }
}
