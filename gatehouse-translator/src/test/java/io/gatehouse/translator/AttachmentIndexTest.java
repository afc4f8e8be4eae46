package io.gatehouse.translator;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.model.GatewayRef;
import io.gatehouse.translator.route.Attachment;
import io.gatehouse.translator.route.Hostnames;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The index finds exactly the attachments a scan with {@link Hostnames#covers} finds, in the same
 * order: checked on random attachments and hostnames from a small vocabulary, so that exact names,
 * wildcards at several depths, {@code *} and several listeners overlap often.
 */
class AttachmentIndexTest {
  private static final String[] NAMES = {"*", "a.x.io", "b.a.x.io", "*.x.io", "*.a.x.io", "x.io",
      "*.io", "c.y.io", "*.y.io", "a.x.io."};
  private static final String[] LISTENERS = {"http", "https"};

  @Test
  void agreesWithAScan() {
    Random random = new Random(11);
    GatewayRef gw = new GatewayRef("ns", "gw");
    for (int round = 0; round < 200; round++) {
      List<Attachment> attachments = new ArrayList<>();
      int count = 1 + random.nextInt(12);
      for (int i = 0; i < count; i++) {
        List<String> hostnames = new ArrayList<>();
        int n = 1 + random.nextInt(3);
        for (int h = 0; h < n; h++) {
          hostnames.add(NAMES[random.nextInt(NAMES.length)]);
        }
        attachments.add(new Attachment(gw, LISTENERS[random.nextInt(2)], "ns/r" + i, hostnames,
            List.of()));
      }
      AttachmentIndex index = new AttachmentIndex(attachments);
      for (String listener : LISTENERS) {
        for (String host : NAMES) {
          List<Attachment> expected = attachments.stream()
              .filter(a -> a.listener().equals(listener))
              .filter(a -> a.hostnames().stream().anyMatch(h -> Hostnames.covers(h, host)))
              .toList();
          assertThat(index.covering(listener, host)).as("%s %s in %s", listener, host,
              attachments).containsExactlyElementsOf(expected);
        }
      }
      assertThat(index.covering("other", "a.x.io")).isEmpty();
    }
  }
}
