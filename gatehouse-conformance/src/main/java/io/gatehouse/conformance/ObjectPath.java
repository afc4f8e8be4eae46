package io.gatehouse.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code set} entries of an {@code update} action (README.md "Actions"): a path such as
 * {@code spec.rules[0].backendRefs[0].name} or {@code data["ca.crt"]} and one of {@code value},
 * {@code append}, {@code removeWhere}, {@code keepOnlyWhere}. Missing intermediate objects are
 * created.
 */
final class ObjectPath {
  private static final Pattern SEGMENT = Pattern
      .compile("([^.\\[\\]]+)|\\[(\\d+)]|\\[\"([^\"]*)\"]");

  private ObjectPath() {
  }

  /** Applies one {@code set} entry to {@code target} in place. */
  static void apply(ObjectNode target, JsonNode entry) {
    List<Object> path = parse(entry.path("path").asText());
    JsonNode parent = target;
    for (int i = 0; i < path.size() - 1; i++) {
      parent = child(parent, path.get(i), path.get(i + 1) instanceof Integer);
    }
    Object last = path.get(path.size() - 1);
    if (entry.has("value")) {
      put(parent, last, entry.get("value").deepCopy());
    } else if (entry.has("append")) {
      JsonNode list = child(parent, last, true);
      ((ArrayNode) list).add(entry.get("append").deepCopy());
    } else if (entry.has("removeWhere") || entry.has("keepOnlyWhere")) {
      boolean keep = entry.has("keepOnlyWhere");
      JsonNode where = keep ? entry.get("keepOnlyWhere") : entry.get("removeWhere");
      JsonNode list = child(parent, last, true);
      for (Iterator<JsonNode> it = list.elements(); it.hasNext();) {
        if (matches(it.next(), where) != keep) {
          it.remove();
        }
      }
    } else {
      throw new IllegalArgumentException("set entry without value/append/removeWhere: " + entry);
    }
  }

  static List<Object> parse(String path) {
    List<Object> out = new ArrayList<>();
    Matcher m = SEGMENT.matcher(path);
    while (m.find()) {
      if (m.group(1) != null) {
        out.add(m.group(1));
      } else if (m.group(2) != null) {
        out.add(Integer.parseInt(m.group(2)));
      } else {
        out.add(m.group(3));
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("empty path");
    }
    return out;
  }

  private static boolean matches(JsonNode item, JsonNode where) {
    for (Iterator<Map.Entry<String, JsonNode>> it = where.fields(); it.hasNext();) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!item.path(e.getKey()).asText().equals(e.getValue().asText())) {
        return false;
      }
    }
    return true;
  }

  private static JsonNode child(JsonNode parent, Object key, boolean array) {
    if (key instanceof Integer i) {
      return parent.get(i);
    }
    ObjectNode o = (ObjectNode) parent;
    JsonNode c = o.get((String) key);
    if (c == null || c.isNull()) {
      c = array ? o.putArray((String) key) : o.putObject((String) key);
    }
    return c;
  }

  private static void put(JsonNode parent, Object key, JsonNode value) {
    if (key instanceof Integer i) {
      ((ArrayNode) parent).set(i, value);
    } else {
      ((ObjectNode) parent).set((String) key, value);
    }
  }
}
