package io.gatehouse.translator.golden;

import java.util.ArrayList;
import java.util.List;

/** A small line-based unified diff (LCS), enough to show golden mismatches. */
final class UnifiedDiff {
  private static final int CONTEXT = 3;

  private UnifiedDiff() {
  }

  static String diff(String expectedName, String expected, String actualName, String actual) {
    String[] a = expected.split("\n", -1);
    String[] b = actual.split("\n", -1);
    int[][] lcs = new int[a.length + 1][b.length + 1];
    for (int i = a.length - 1; i >= 0; i--) {
      for (int j = b.length - 1; j >= 0; j--) {
        lcs[i][j] = a[i].equals(b[j])
            ? lcs[i + 1][j + 1] + 1
            : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
      }
    }
    List<String> lines = new ArrayList<>(); // each prefixed with ' ', '-' or '+'
    int i = 0;
    int j = 0;
    while (i < a.length || j < b.length) {
      if (i < a.length && j < b.length && a[i].equals(b[j])) {
        lines.add(" " + a[i++]);
        j++;
      } else if (i < a.length && (j == b.length || lcs[i + 1][j] >= lcs[i][j + 1])) {
        lines.add("-" + a[i++]);
      } else {
        lines.add("+" + b[j++]);
      }
    }
    StringBuilder out = new StringBuilder("--- " + expectedName + "\n+++ " + actualName + "\n");
    int last = -1;
    for (int k = 0; k < lines.size(); k++) {
      if (lines.get(k).charAt(0) == ' ') {
        continue;
      }
      int from = Math.max(last + 1, k - CONTEXT);
      if (from > last + 1) {
        out.append("@@ line ").append(from + 1).append(" @@\n");
      }
      int to = Math.min(lines.size() - 1, k + CONTEXT);
      for (int m = from; m <= to; m++) {
        out.append(lines.get(m)).append('\n');
      }
      last = to;
      k = to; // lines up to `to` are printed; a change right after continues this hunk
    }
    return out.toString();
  }
}
