package io.gatehouse.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.standalone.StandaloneGateway;
import io.gatehouse.standalone.StandaloneOptions;
import io.gatehouse.testing.EchoOptions;
import io.gatehouse.testing.EchoServer;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A standalone gateway on a temporary config directory, echo "pods" on loopback aliases, and an
 * HTTP client, for the end-to-end tests. Listener ports are shifted by {@link #PORT_OFFSET} so the
 * tests need no root; the admin API takes an ephemeral port.
 */
final class GatewayHarness implements AutoCloseable {
  static final int PORT_OFFSET = 20000;
  static final Duration APPLY_TIMEOUT = Duration.ofSeconds(20);

  final Path dir;
  final HttpClient http = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5))
      .build();
  private final ObjectMapper json = new ObjectMapper();
  private final EventLoopGroup echoGroup = EchoServer.newEventLoopGroup(1);
  private final List<EchoServer> pods = new ArrayList<>();
  private StandaloneGateway gateway;

  GatewayHarness(Path dir) {
    this.dir = dir;
  }

  /** Starts an echo pod on {@code address}:3000. */
  EchoServer pod(String address, String name, String namespace) {
    EchoServer server = EchoServer.start(EchoOptions.of(address, 3000, name, namespace), echoGroup);
    pods.add(server);
    return server;
  }

  /** Writes {@code yaml} to {@code file} in the config directory (atomically, by rename). */
  void write(String file, String yaml) throws IOException {
    Path tmp = Files.createTempFile(dir.getParent(), "gatehouse-it", ".tmp");
    Files.writeString(tmp, yaml);
    Files.move(tmp, dir.resolve(file), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  /** Starts the gateway and waits for its first configuration. */
  void start() throws Exception {
    gateway = new StandaloneGateway(StandaloneOptions.defaults(dir)
        .withAdminPort(0)
        .withPortOffset(PORT_OFFSET)
        .withDebounce(Duration.ofMillis(50)));
    gateway.start();
    awaitGeneration(1);
  }

  long generation() {
    return gateway.appliedGeneration();
  }

  void awaitGeneration(long generation) throws InterruptedException {
    assertThat(gateway.awaitGeneration(generation, APPLY_TIMEOUT))
        .as("generation %d applied within %s", generation, APPLY_TIMEOUT)
        .isTrue();
  }

  /** GET http://address:port+offset/path with the given Host header. */
  HttpResponse<String> get(String address, int port, String host, String path)
      throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(
        URI.create("http://" + address + ":" + (port + PORT_OFFSET) + path))
        .header("Host", host)
        .timeout(Duration.ofSeconds(10))
        .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  /** The pod named in an echo response. */
  String pod(HttpResponse<String> response) throws IOException {
    assertThat(response.statusCode()).as("status of %s", response.uri()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
    return json.readTree(response.body()).path("pod").asText();
  }

  /** GET on the admin API, parsed as JSON. */
  JsonNode admin(String path) throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + gateway.adminPort() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as("admin %s", path).isEqualTo(200);
    return json.readTree(response.body());
  }

  int adminStatus(String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + gateway.adminPort() + path)).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  @Override
  public void close() {
    if (gateway != null) {
      gateway.close();
    }
    for (EchoServer pod : pods) {
      pod.close();
    }
    echoGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    http.close();
  }
}
