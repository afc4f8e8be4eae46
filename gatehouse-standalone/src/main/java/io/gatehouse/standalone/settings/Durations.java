package io.gatehouse.standalone.settings;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations written as Go and Kubernetes write them: a sequence of decimal numbers, each with a
 * unit, such as {@code 10s}, {@code 500ms}, {@code 1h30m} or {@code 1.5s} (units {@code ns},
 * {@code us}, {@code µs}, {@code ms}, {@code s}, {@code m}, {@code h}); {@code 0} alone is zero.
 */
public final class Durations {
  /** Shown in error messages. */
  public static final String EXAMPLES = "examples: 10s, 500ms, 1h";

  private static final Pattern WHOLE = Pattern
      .compile("[-+]?((\\d+(\\.\\d*)?|\\.\\d+)(ns|us|µs|ms|s|m|h))+");
  private static final Pattern PART = Pattern
      .compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|ms|s|m|h)");
  private static final Map<String, Long> NANOS_PER_UNIT = Map.of("ns", 1L, "us", 1_000L,
      "µs", 1_000L, "ms", 1_000_000L, "s", 1_000_000_000L, "m", 60_000_000_000L,
      "h", 3_600_000_000_000L);

  private Durations() {
  }

  /**
   * The duration {@code text} denotes, or empty if it is not one (or too long for a long of ns).
   */
  public static Optional<Duration> parse(String text) {
    if (text.equals("0")) {
      return Optional.of(Duration.ZERO);
    }
    if (!WHOLE.matcher(text).matches()) {
      return Optional.empty();
    }
    BigDecimal nanos = BigDecimal.ZERO;
    Matcher part = PART.matcher(text);
    while (part.find()) {
      nanos = nanos.add(new BigDecimal(part.group(1))
          .multiply(BigDecimal.valueOf(NANOS_PER_UNIT.get(part.group(2)))));
    }
    if (text.startsWith("-")) {
      nanos = nanos.negate();
    }
    try {
      return Optional.of(Duration.ofNanos(nanos.setScale(0, java.math.RoundingMode.DOWN)
          .longValueExact()));
    } catch (ArithmeticException e) {
      return Optional.empty();
    }
  }

  /**
   * The shortest text {@link #parse} reads back as {@code d}: {@code 1h}, {@code 5m},
   * {@code 1m30s}, {@code 250ms}, {@code 1.5s}, {@code 0s}.
   */
  public static String format(Duration d) {
    if (d.isNegative()) {
      return "-" + format(d.negated());
    }
    if (d.isZero()) {
      return "0s";
    }
    if (d.compareTo(Duration.ofSeconds(1)) < 0) {
      return subSecond(d.toNanos());
    }
    StringBuilder text = new StringBuilder();
    if (d.toHours() > 0) {
      text.append(d.toHours()).append('h');
    }
    if (d.toMinutesPart() > 0) {
      text.append(d.toMinutesPart()).append('m');
    }
    if (d.toSecondsPart() > 0 || d.getNano() > 0) {
      text.append(BigDecimal.valueOf(d.toSecondsPart())
          .add(BigDecimal.valueOf(d.getNano(), 9)).stripTrailingZeros().toPlainString())
          .append('s');
    }
    return text.toString();
  }

  private static String subSecond(long nanos) {
    if (nanos % 1_000_000 == 0) {
      return nanos / 1_000_000 + "ms";
    }
    if (nanos % 1_000 == 0) {
      return nanos / 1_000 + "us";
    }
    return nanos + "ns";
  }
}
