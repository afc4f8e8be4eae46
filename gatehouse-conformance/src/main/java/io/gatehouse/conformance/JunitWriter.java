package io.gatehouse.conformance;

import io.gatehouse.conformance.CaseResult.Outcome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** JUnit XML: one testsuite, one testcase per case named after it. */
final class JunitWriter {
  private JunitWriter() {
  }

  static String xml(List<CaseResult> results) {
    long failures = results.stream().filter(r -> r.outcome() == Outcome.FAILED).count();
    long skipped = results.stream().filter(r -> r.outcome() == Outcome.SKIPPED).count();
    double total = results.stream().mapToLong(r -> r.duration().toMillis()).sum() / 1000.0;
    StringBuilder sb = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    sb.append(String.format(Locale.ROOT,
        "<testsuite name=\"gateway-api-conformance\" tests=\"%d\" failures=\"%d\" errors=\"0\" "
            + "skipped=\"%d\" time=\"%.3f\">%n",
        results.size(), failures, skipped, total));
    for (CaseResult r : results) {
      sb.append(String.format(Locale.ROOT,
          "  <testcase classname=\"gateway-api-conformance\" name=\"%s\" time=\"%.3f\"",
          escape(r.name()), r.duration().toMillis() / 1000.0));
      switch (r.outcome()) {
        case PASSED -> sb.append("/>\n");
        case FAILED -> sb.append(">\n    <failure message=\"").append(escape(r.message()))
            .append("\">").append(escape(r.message())).append("</failure>\n  </testcase>\n");
        case SKIPPED -> sb.append(">\n    <skipped message=\"").append(escape(r.message()))
            .append("\"/>\n  </testcase>\n");
      }
    }
    return sb.append("</testsuite>\n").toString();
  }

  static void write(Path file, List<CaseResult> results) {
    try {
      if (file.getParent() != null) {
        Files.createDirectories(file.getParent());
      }
      Files.writeString(file, xml(results));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + file, e);
    }
  }

  static String escape(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '&' -> sb.append("&amp;");
        case '"' -> sb.append("&quot;");
        case '\n' -> sb.append("&#10;");
        default -> {
          if (c >= 0x20 || c == '\t') {
            sb.append(c);
          }
        }
      }
    }
    return sb.toString();
  }
}
