package io.gatehouse.testing;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;

/**
 * Parses Go duration strings ({@code time.ParseDuration}): {@code 1s}, {@code 500ms}, {@code 1.5s},
 * {@code 1h2m3s}, {@code -2us}, {@code 0}. The {@code delay} and {@code delayRetry} query
 * parameters use this syntax.
 */
final class GoDuration {

  private static final Map<String, Long> UNIT_NANOS = Map.of("ns", 1L, "us", 1_000L, "\u00b5s",
      1_000L,
      "\u03bcs", 1_000L, "ms", 1_000_000L, "s", 1_000_000_000L, "m", 60_000_000_000L, "h",
      3_600_000_000_000L);
  private static final BigDecimal MAX_NANOS = BigDecimal.valueOf(Long.MAX_VALUE);

  private GoDuration() {
  }

  /**
   * Returns the duration {@code text} denotes.
   *
   * @throws IllegalArgumentException with Go's message ({@code time: invalid duration "x"}) when
   * {@code text} is not a Go duration
   */
  static Duration parse(String text) {
    String s = text;
    boolean negative = false;
    if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
      negative = s.charAt(0) == '-';
      s = s.substring(1);
    }
    if (s.equals("0")) {
      return Duration.ZERO;
    }
    if (s.isEmpty()) {
      throw invalid(text);
    }
    BigDecimal nanos = BigDecimal.ZERO;
    int i = 0;
    // Each iteration consumes one "<number><unit>" pair, so the loop ends within s.length() steps.
    while (i < s.length()) {
      int start = i;
      while (i < s.length() && (isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
        i++;
      }
      String number = s.substring(start, i);
      int unitStart = i;
      while (i < s.length() && !isDigit(s.charAt(i)) && s.charAt(i) != '.') {
        i++;
      }
      Long unit = UNIT_NANOS.get(s.substring(unitStart, i));
      if (!isNumber(number) || unit == null) {
        throw unitStart == i && isNumber(number)
            ? new IllegalArgumentException(
                "time: missing unit in duration " + quote(text))
            : invalid(text);
      }
      nanos = nanos.add(new BigDecimal(number.endsWith(".") ? number + "0" : number)
          .multiply(BigDecimal.valueOf(unit)));
      if (nanos.compareTo(MAX_NANOS) > 0) {
        throw invalid(text);
      }
    }
    Duration d = Duration.ofNanos(nanos.longValue());
    return negative ? d.negated() : d;
  }

  private static boolean isNumber(String number) {
    int dot = number.indexOf('.');
    boolean oneDot = dot == number.lastIndexOf('.');
    return oneDot && number.chars().anyMatch(c -> isDigit((char) c));
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static IllegalArgumentException invalid(String text) {
    return new IllegalArgumentException("time: invalid duration " + quote(text));
  }

  private static String quote(String text) {
    return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }
}
