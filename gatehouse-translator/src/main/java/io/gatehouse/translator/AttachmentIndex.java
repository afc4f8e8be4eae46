package io.gatehouse.translator;

import io.gatehouse.translator.route.Attachment;
import io.gatehouse.translator.route.Hostnames;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The attachments of one port, found by listener and by a hostname they cover, so that building the
 * virtual hosts costs a few hash lookups per candidate hostname instead of a scan of every
 * attachment (which made a Gateway with 10,000 routes on 1,000 hostnames quadratic).
 *
 * <p>
 * A pattern covers a hostname ({@link Hostnames#covers}) only when it is {@code *}, the hostname
 * itself, or {@code *} followed by one of the hostname's suffixes that start at a dot after its
 * first character; those are the keys looked up. Results keep the attachments' original order.
 */
final class AttachmentIndex {
  private final List<Attachment> attachments;
  /** listener name → attachment hostname → indexes into {@link #attachments}, ascending. */
  private final Map<String, Map<String, List<Integer>>> byListener = new HashMap<>();

  AttachmentIndex(List<Attachment> attachments) {
    this.attachments = attachments;
    for (int i = 0; i < attachments.size(); i++) {
      Attachment a = attachments.get(i);
      Map<String, List<Integer>> byHost = byListener.computeIfAbsent(a.listener(),
          l -> new HashMap<>());
      for (String h : a.hostnames()) {
        List<Integer> indexes = byHost.computeIfAbsent(h, k -> new ArrayList<>());
        if (indexes.isEmpty() || indexes.get(indexes.size() - 1) != i) {
          indexes.add(i);
        }
      }
    }
  }

  /**
   * The attachments of {@code listener} with at least one hostname that covers {@code host}, in
   * their original order.
   */
  List<Attachment> covering(String listener, String host) {
    Map<String, List<Integer>> byHost = byListener.get(listener);
    if (byHost == null) {
      return List.of();
    }
    List<Integer> found = new ArrayList<>();
    addAll(found, byHost.get(Hostnames.ANY));
    if (!host.equals(Hostnames.ANY)) {
      addAll(found, byHost.get(host));
      for (int dot = host.indexOf('.', 1); dot > 0; dot = host.indexOf('.', dot + 1)) {
        String pattern = "*" + host.substring(dot);
        if (!pattern.equals(host)) {
          addAll(found, byHost.get(pattern));
        }
      }
    }
    int[] sorted = found.stream().mapToInt(Integer::intValue).sorted().distinct().toArray();
    List<Attachment> out = new ArrayList<>(sorted.length);
    Arrays.stream(sorted).forEach(i -> out.add(attachments.get(i)));
    return out;
  }

  private static void addAll(List<Integer> into, List<Integer> indexes) {
    if (indexes != null) {
      into.addAll(indexes);
    }
  }
}
