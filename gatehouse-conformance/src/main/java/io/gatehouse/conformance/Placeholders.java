package io.gatehouse.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces the suite's placeholders in manifests and cases (HARNESS.md §1.4, README.md
 * "Placeholders"): {@code {GATEWAY_CLASS_NAME}}, {@code {GATEWAY_CONTROLLER_NAME}},
 * {@code ${controllerName}}, the {@code ${pem:...}} / {@code ${copy:...}} references to generated
 * objects, and the Gateway address pools ({@link AddressPools}): in manifests, an address entry
 * whose value is {@code PLACEHOLDER_(UN)USABLE_ADDRS} becomes the pool's entries; in cases,
 * {@code ${usableAddress.value}} and the like. Unknown {@code ${...}} placeholders are left as they
 * are.
 *
 * @param gatewayClassName the GatewayClass under test
 * @param controllerName its {@code spec.controllerName}
 * @param generated looks up {@code Kind/namespace/name/key} of a generated object, null if unknown
 * @param addresses the usable and unusable Gateway addresses
 */
record Placeholders(String gatewayClassName, String controllerName,
    Function<String, String> generated, AddressPools addresses) {
  private static final Pattern REF = Pattern.compile("\\$\\{(pem|copy):([^}]+)}");

  /** Without address pools: the address placeholders are left as they are. */
  Placeholders(String gatewayClassName, String controllerName,
      Function<String, String> generated) {
    this(gatewayClassName, controllerName, generated,
        new AddressPools(List.of(), List.of()));
  }

  /** The string with every known placeholder replaced. */
  String apply(String s) {
    String out = s.replace("{GATEWAY_CLASS_NAME}", gatewayClassName)
        .replace("{GATEWAY_CONTROLLER_NAME}", controllerName)
        .replace("${controllerName}", controllerName);
    out = addresses.apply(out);
    Matcher m = REF.matcher(out);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String value = generated.apply(m.group(2));
      m.appendReplacement(sb, Matcher.quoteReplacement(value == null ? m.group() : value));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  /** A deep copy of the tree with every string value substituted. */
  JsonNode apply(JsonNode node) {
    JsonNode copy = node.deepCopy();
    substitute(copy);
    return copy;
  }

  ObjectNode apply(ObjectNode node) {
    return (ObjectNode) apply((JsonNode) node);
  }

  private void substitute(JsonNode node) {
    if (node instanceof ObjectNode o) {
      for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext();) {
        Map.Entry<String, JsonNode> e = it.next();
        if (e.getValue().isTextual()) {
          e.setValue(TextNode.valueOf(apply(e.getValue().asText())));
        } else {
          substitute(e.getValue());
        }
      }
    } else if (node instanceof ArrayNode a) {
      expandAddressPlaceholders(a);
      for (int i = 0; i < a.size(); i++) {
        if (a.get(i).isTextual()) {
          a.set(i, TextNode.valueOf(apply(a.get(i).asText())));
        } else {
          substitute(a.get(i));
        }
      }
    }
  }

  /** Replaces each {@code {value: PLACEHOLDER_(UN)USABLE_ADDRS}} item by the pool's addresses. */
  private void expandAddressPlaceholders(ArrayNode a) {
    for (int i = a.size() - 1; i >= 0; i--) {
      List<AddressPools.Address> pool = a.get(i) instanceof ObjectNode o
          && o.path("value").isTextual()
              ? addresses.forPlaceholder(o.path("value").asText())
              : null;
      if (pool != null) {
        a.remove(i);
        for (int j = pool.size() - 1; j >= 0; j--) {
          ObjectNode entry = a.insertObject(i);
          if (pool.get(j).type() != null) {
            entry.put("type", pool.get(j).type());
          }
          entry.put("value", pool.get(j).value());
        }
      }
    }
  }
}
