package io.gatehouse.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Configuration changes while traffic flows, and bad files that must not take traffic down. */
class ReloadIT {
  static final String GW = "127.0.20.1";
  @TempDir
  Path tmp;
  GatewayHarness h;

  @BeforeEach
  void start() throws Exception {
    Path dir = tmp.resolve("config");
    Files.createDirectories(dir);
    h = new GatewayHarness(dir);
    h.pod("127.0.21.1", "blue-" + Manifests.podSuffix("127.0.21.1"), Manifests.NS);
    h.pod("127.0.21.2", "green-" + Manifests.podSuffix("127.0.21.2"), Manifests.NS);
    h.write("gateway.yaml", Manifests.gatewayClass() + "---\n" + Manifests.gateway("web", GW));
    h.write("services.yaml", Manifests.service("blue", List.of("127.0.21.1")) + "---\n"
        + Manifests.service("green", List.of("127.0.21.2")));
    h.write("route.yaml", Manifests.route("app", "web", "app.example.com", "/=blue"));
    h.start();
  }

  @AfterEach
  void stop() {
    h.close();
  }

  @Test
  void configChangesWhileRequestsAreInFlightLoseNone() throws Exception {
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger ok = new AtomicInteger();
    ConcurrentHashMap<String, Integer> failures = new ConcurrentHashMap<>();
    ConcurrentHashMap<String, Boolean> seen = new ConcurrentHashMap<>();
    ExecutorService clients = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> loops = new java.util.ArrayList<>();
      for (int t = 0; t < 4; t++) {
        loops.add(clients.submit(() -> {
          // Bounded: stops when the test says so, or after 60 s whatever happens.
          long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
          while (running.get() && System.nanoTime() < deadline) {
            try {
              // delay=20ms keeps every request in flight across the table swaps.
              HttpResponse<String> r = h.get(GW, 80, "app.example.com", "/?delay=20ms");
              if (r.statusCode() == 200) {
                ok.incrementAndGet();
                seen.put(h.pod(r).split("-")[0], true);
              } else {
                failures.merge("status " + r.statusCode(), 1, Integer::sum);
              }
            } catch (Exception e) {
              failures.merge(e.toString(), 1, Integer::sum);
            }
          }
        }));
      }
      long generation = h.generation();
      for (int i = 0; i < 10; i++) {
        String color = i % 2 == 0 ? "green" : "blue";
        h.write("route.yaml", Manifests.route("app", "web", "app.example.com", "/=" + color));
        h.awaitGeneration(++generation);
        Thread.sleep(50); // let requests run on this generation before the next swap
      }
      running.set(false);
      for (Future<?> loop : loops) {
        loop.get();
      }
    } finally {
      running.set(false);
      clients.shutdownNow();
    }
    assertThat(failures).isEmpty();
    assertThat(ok.get()).isGreaterThan(40);
    assertThat(seen.keySet()).containsExactlyInAnyOrder("blue", "green");
  }

  @Test
  void aBrokenFileIsReportedAndTheLastGoodConfigurationKeepsServing() throws Exception {
    long generation = h.generation();
    h.write("route.yaml", """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata:
          name: app
          namespace: e2e
        spec:
          parentRefs: [{name: web}
          rules: nope
        """);
    JsonNode errors = awaitErrors();
    assertThat(errors.toString()).contains("route.yaml");
    // Line 7 opens the flow sequence that is never closed.
    assertThat(errors.findValues("line").get(0).asInt()).isEqualTo(7);
    assertThat(h.pod(h.get(GW, 80, "app.example.com", "/"))).startsWith("blue-");
    assertThat(h.generation()).isEqualTo(generation);

    h.write("route.yaml", Manifests.route("app", "web", "app.example.com", "/=green"));
    h.awaitGeneration(generation + 1);
    assertThat(h.pod(h.get(GW, 80, "app.example.com", "/"))).startsWith("green-");
    assertThat(h.admin("/errors").findValues("path")).isEmpty();
  }

  private JsonNode awaitErrors() throws Exception {
    long deadline = System.nanoTime() + GatewayHarness.APPLY_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode errors = h.admin("/errors");
      if (!errors.findValues("path").isEmpty()) {
        return errors;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no file error reported within " + GatewayHarness.APPLY_TIMEOUT);
  }
}
