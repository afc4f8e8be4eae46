package io.gatehouse.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the EndpointSlice controller would write for a Service with a selector (HARNESS.md §2): one
 * slice labelled {@code kubernetes.io/service-name}, the matching pods as ready endpoints, one port
 * per Service port (named like it, numbered by its {@code targetPort}, {@code appProtocol} kept).
 * Services without a selector get nothing.
 */
final class EndpointSlices {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private EndpointSlices() {
  }

  /** The slice of one Service, or empty when it has no selector. */
  static Optional<ObjectNode> of(ObjectNode service, List<Pod> pods) {
    JsonNode selectorNode = service.path("spec").path("selector");
    if (!selectorNode.isObject() || selectorNode.isEmpty()) {
      return Optional.empty();
    }
    Map<String, String> selector = new LinkedHashMap<>();
    selectorNode.fields().forEachRemaining(e -> selector.put(e.getKey(), e.getValue().asText()));
    String ns = Yaml.text(service.path("metadata"), "namespace");
    String name = Yaml.text(service.path("metadata"), "name");
    ObjectNode slice = F.objectNode();
    slice.put("apiVersion", "discovery.k8s.io/v1");
    slice.put("kind", "EndpointSlice");
    ObjectNode meta = slice.putObject("metadata");
    meta.put("name", name + "-" + PodNames.hash(ns + "/" + name, 5));
    meta.put("namespace", ns);
    meta.putObject("labels").put("kubernetes.io/service-name", name);
    slice.put("addressType", "IPv4");
    ArrayNode endpoints = slice.putArray("endpoints");
    pods.stream()
        .filter(p -> p.namespace().equals(ns) && p.matches(selector))
        .forEach(p -> {
          ObjectNode e = endpoints.addObject();
          e.putArray("addresses").add(p.ip());
          e.putObject("conditions").put("ready", true);
          ObjectNode ref = e.putObject("targetRef");
          ref.put("kind", "Pod");
          ref.put("namespace", p.namespace());
          ref.put("name", p.name());
        });
    ArrayNode ports = slice.putArray("ports");
    for (JsonNode sp : service.path("spec").path("ports")) {
      ObjectNode port = ports.addObject();
      if (sp.hasNonNull("name")) {
        port.put("name", sp.get("name").asText());
      }
      port.put("port", targetPort(sp));
      port.put("protocol", sp.path("protocol").asText("TCP"));
      if (sp.hasNonNull("appProtocol")) {
        port.put("appProtocol", sp.get("appProtocol").asText());
      }
    }
    return Optional.of(slice);
  }

  /**
   * The port the pods listen on: {@code targetPort} when numeric, else the Service port. echo-basic
   * declares no containerPorts, so a named targetPort cannot be resolved against the pod; the suite
   * does not use one.
   */
  static int targetPort(JsonNode servicePort) {
    JsonNode target = servicePort.path("targetPort");
    if (target.canConvertToInt() && target.isNumber()) {
      return target.asInt();
    }
    if (target.isTextual() && target.asText().matches("\\d+")) {
      return Integer.parseInt(target.asText());
    }
    return servicePort.path("port").asInt();
  }
}
