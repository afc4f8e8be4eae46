package io.gatehouse.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces the suite's placeholders in manifests and cases (HARNESS.md §1.4, README.md
 * "Placeholders"): {@code {GATEWAY_CLASS_NAME}}, {@code {GATEWAY_CONTROLLER_NAME}},
 * {@code ${controllerName}} and the {@code ${pem:...}} / {@code ${copy:...}} references to
 * generated objects. Unknown {@code ${...}} placeholders are left as they are.
 *
 * @param gatewayClassName the GatewayClass under test
 * @param controllerName its {@code spec.controllerName}
 * @param generated looks up {@code Kind/namespace/name/key} of a generated object, null if unknown
 */
record Placeholders(String gatewayClassName, String controllerName,
    Function<String, String> generated) {
  private static final Pattern REF = Pattern.compile("\\$\\{(pem|copy):([^}]+)}");

  /** The string with every known placeholder replaced. */
  String apply(String s) {
    String out = s.replace("{GATEWAY_CLASS_NAME}", gatewayClassName)
        .replace("{GATEWAY_CONTROLLER_NAME}", controllerName)
        .replace("${controllerName}", controllerName);
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
      for (int i = 0; i < a.size(); i++) {
        if (a.get(i).isTextual()) {
          a.set(i, TextNode.valueOf(apply(a.get(i).asText())));
        } else {
          substitute(a.get(i));
        }
      }
    }
  }
}
