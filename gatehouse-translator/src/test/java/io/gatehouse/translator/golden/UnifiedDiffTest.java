package io.gatehouse.translator.golden;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class UnifiedDiffTest {
  @Test
  @Timeout(5)
  void aChangeNearTheEndTerminates() {
    // Once looped forever: the hunk end was moved back before the change that opened it.
    String diff = UnifiedDiff.diff("a", "1\n2\n3\n4\n5", "b", "1\n2\n3\n4\nfive");
    assertThat(diff).contains("-5", "+five");
  }

  @Test
  @Timeout(5)
  void separatedChangesGetTheirOwnHunks() {
    String expected = String.join("\n", "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k");
    String actual = expected.replace("b", "B").replace("j", "J");
    String diff = UnifiedDiff.diff("x", expected, "y", actual);
    assertThat(diff).contains("-b", "+B", "-j", "+J", "@@ line");
  }
}
