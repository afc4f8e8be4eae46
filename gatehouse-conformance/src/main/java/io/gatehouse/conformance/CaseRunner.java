package io.gatehouse.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.conformance.ConfigDirectory.Ref;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * Runs one case to its verdict: applies its manifests, then its {@code status} and {@code requests}
 * or its {@code steps} (status, actions, statusAfterActions, requests, in that order). Throws
 * {@link AssertionFailure} at the first failing check. Cleanup is the caller's
 * ({@link EmulatedCluster#clearCase}).
 */
final class CaseRunner {
  private final EmulatedCluster cluster;
  private final Path manifestsDir;
  private final StatusAssertions status;
  private final TrafficChecks traffic;
  private final int portOffset;

  CaseRunner(EmulatedCluster cluster, Path manifestsDir, StatusAssertions status,
      TrafficChecks traffic, int portOffset) {
    this.cluster = cluster;
    this.manifestsDir = manifestsDir;
    this.status = status;
    this.traffic = traffic;
    this.portOffset = portOffset;
  }

  void run(JsonNode rawCase) throws InterruptedException {
    JsonNode c = cluster.placeholders().apply(rawCase);
    for (JsonNode m : c.path("manifests")) {
      cluster.applyFile(EmulatedCluster.CASE, manifestsDir.resolve(m.asText()));
    }
    JsonNode gateway = c.path("gateway");
    if (c.has("steps")) {
      int i = 0;
      for (JsonNode step : c.path("steps")) {
        i++;
        try {
          runStep(step, step.hasNonNull("gateway") ? step.path("gateway") : gateway);
        } catch (AssertionFailure e) {
          String name = step.hasNonNull("subtest")
              ? step.path("subtest").asText()
              : "step " + i;
          throw new AssertionFailure(name + ": " + e.getMessage());
        }
      }
    } else {
      runStep(c, gateway);
    }
  }

  private void runStep(JsonNode step, JsonNode gateway) throws InterruptedException {
    for (JsonNode a : step.path("status")) {
      status.run(a);
    }
    for (JsonNode action : step.path("actions")) {
      act(action);
    }
    for (JsonNode a : step.path("statusAfterActions")) {
      status.run(a);
    }
    for (JsonNode r : step.path("requests")) {
      JsonNode targetRef = r.hasNonNull("target") ? r.path("target") : gateway;
      traffic.run(r, target(targetRef));
    }
  }

  private Supplier<Target> target(JsonNode ref) {
    return () -> {
      if (ref == null || ref.isMissingNode() || ref.isNull()) {
        throw new AssertionFailure("traffic case without a target Gateway");
      }
      String ns = ref.path("namespace").asText();
      String name = ref.path("name").asText();
      String address = status.addressOf(ns, name).orElseThrow(
          () -> new AssertionFailure("Gateway " + ns + "/" + name + " has no status address"));
      return new Target(address, ref.path("port").asInt(80), portOffset,
          ref.path("scheme").asText("http"));
    };
  }

  private void act(JsonNode action) throws InterruptedException {
    String kind = action.path("action").asText();
    switch (kind) {
      case "update" -> {
        Ref ref = ref(action);
        ObjectNode o = cluster.get(ref)
            .orElseThrow(() -> new AssertionFailure("update: " + ref + " does not exist"));
        for (JsonNode set : action.path("set")) {
          ObjectPath.apply(o, set);
        }
        cluster.update(ref, o);
      }
      case "delete" -> cluster.delete(ref(action));
      case "create" -> cluster.apply(EmulatedCluster.CASE,
          List.of((ObjectNode) action.path("object")));
      case "fillEndpointSlices" -> cluster.fillEndpointSlices(
          action.path("app").asText("infra-backend-v1"), action.path("names"));
      // The address pools were substituted when the manifests were applied (Placeholders).
      case "manifestSubstitution" -> {
      }
      case "wait" -> Thread.sleep(Duration.parse("PT" + action.path("duration").asText("1s")
          .toUpperCase(java.util.Locale.ROOT)).toMillis());
      default -> throw new AssertionFailure("unsupported action: " + kind);
    }
  }

  private static Ref ref(JsonNode action) {
    String ns = action.path("namespace").isTextual() ? action.path("namespace").asText() : "";
    return new Ref(action.path("kind").asText(), ns, action.path("name").asText());
  }
}
