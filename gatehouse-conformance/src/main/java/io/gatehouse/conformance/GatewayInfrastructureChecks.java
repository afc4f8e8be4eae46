package io.gatehouse.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The two assertions the README describes inline in their cases:
 * <ul>
 * <li>{@code gatewayStatusAddresses} (GatewayStaticAddresses): {@code status.addresses} has exactly
 * {@code count} entries, one with value {@code mustContainValue} and type
 * {@code typeOfUsableMustEqual} (an absent type equals only an absent type, as Go's pointer
 * comparison), and none with a value of {@code mustNotContainValues};
 * <li>{@code generatedInfrastructureMetadata} (GatewayInfrastructure): some object of {@code kinds}
 * in {@code namespace} carries {@code selectorLabel}; for the first one of each kind, its labels
 * include {@code labelsMustInclude} and its annotations {@code annotationsMustInclude}. Without a
 * cluster, the objects are the ones the gateway shows as generated for the Gateway.
 * </ul>
 * Each check returns null when it holds, else what it saw.
 */
final class GatewayInfrastructureChecks {
  private GatewayInfrastructureChecks() {
  }

  static String statusAddresses(JsonNode a, Optional<ObjectNode> gateway) {
    if (gateway.isEmpty()) {
      return "Gateway not found";
    }
    JsonNode addresses = gateway.get().path("status").path("addresses");
    int count = a.path("count").asInt();
    if (addresses.size() != count) {
      return "expected " + count + " status addresses, got " + addresses;
    }
    for (JsonNode forbidden : a.path("mustNotContainValues")) {
      for (JsonNode addr : addresses) {
        if (addr.path("value").asText().equals(forbidden.asText())) {
          return "status.addresses must not contain " + forbidden + ": " + addresses;
        }
      }
    }
    String value = a.path("mustContainValue").asText();
    JsonNode type = a.path("typeOfUsableMustEqual");
    for (JsonNode addr : addresses) {
      if (addr.path("value").asText().equals(value)) {
        return sameType(type, addr.path("type"))
            ? null
            : "address " + value + " has type " + addr.path("type") + ", expected " + type;
      }
    }
    return "status.addresses lacks " + value + ": " + addresses;
  }

  private static boolean sameType(JsonNode expected, JsonNode actual) {
    boolean expectedSet = expected.isTextual() && !expected.asText().isEmpty();
    boolean actualSet = actual.isTextual() && !actual.asText().isEmpty();
    return expectedSet == actualSet && (!expectedSet || expected.asText().equals(actual.asText()));
  }

  static String generatedMetadata(JsonNode a, List<ObjectNode> objects) {
    String namespace = a.path("namespace").asText();
    List<String> problems = new ArrayList<>();
    int found = 0;
    for (JsonNode kind : a.path("kinds")) {
      Optional<ObjectNode> first = objects.stream()
          .filter(o -> o.path("kind").asText().equals(kind.asText())
              && o.path("metadata").path("namespace").asText().equals(namespace)
              && includes(o.path("metadata").path("labels"), a.path("selectorLabel")))
          .findFirst();
      if (first.isEmpty()) {
        continue;
      }
      found++;
      JsonNode meta = first.get().path("metadata");
      String what = kind.asText() + " " + meta.path("name").asText();
      if (!includes(meta.path("labels"), a.path("labelsMustInclude"))) {
        problems.add(what + " has labels " + meta.path("labels") + ", missing some of "
            + a.path("labelsMustInclude"));
      }
      if (!includes(meta.path("annotations"), a.path("annotationsMustInclude"))) {
        problems.add(what + " has annotations " + meta.path("annotations")
            + ", missing some of " + a.path("annotationsMustInclude"));
      }
    }
    if (found == 0) {
      return "no " + a.path("kinds") + " in namespace " + namespace + " carries "
          + a.path("selectorLabel");
    }
    return problems.isEmpty() ? null : String.join("; ", problems);
  }

  private static boolean includes(JsonNode actual, JsonNode expected) {
    for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext();) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!actual.path(e.getKey()).isTextual()
          || !actual.path(e.getKey()).asText().equals(e.getValue().asText())) {
        return false;
      }
    }
    return true;
  }
}
