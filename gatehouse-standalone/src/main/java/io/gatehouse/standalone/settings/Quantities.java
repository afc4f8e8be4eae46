package io.gatehouse.standalone.settings;

import java.util.Map;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sizes in bytes written as Kubernetes quantities: a plain integer ({@code 65536}) or an integer
 * with a binary ({@code Ki}, {@code Mi}, {@code Gi}) or decimal ({@code k}, {@code M}, {@code G})
 * suffix: {@code 64Ki} is 65,536, {@code 64k} is 64,000. Fractions and exponents are not accepted:
 * a size is a whole number of bytes.
 */
public final class Quantities {
  /** Shown in error messages. */
  public static final String EXAMPLES = "examples: 65536, 64Ki, 1Mi";

  private static final Pattern QUANTITY = Pattern.compile("(\\d{1,18})(Ki|Mi|Gi|k|M|G)?");
  private static final Map<String, Long> MULTIPLIER = Map.of("Ki", 1L << 10, "Mi", 1L << 20,
      "Gi", 1L << 30, "k", 1_000L, "M", 1_000_000L, "G", 1_000_000_000L);

  private Quantities() {
  }

  /** The bytes {@code text} denotes, or empty if it is not a quantity. */
  public static OptionalLong parse(String text) {
    Matcher m = QUANTITY.matcher(text);
    if (!m.matches()) {
      return OptionalLong.empty();
    }
    long value = Long.parseLong(m.group(1));
    try {
      return OptionalLong.of(m.group(2) == null
          ? value
          : Math.multiplyExact(value, MULTIPLIER.get(m.group(2))));
    } catch (ArithmeticException e) {
      return OptionalLong.empty();
    }
  }

  /**
   * {@code bytes} in the largest binary unit that divides it ({@code 1Mi}, {@code 64Ki}), else as a
   * plain number ({@code "1000"}).
   */
  public static String format(long bytes) {
    if (bytes != 0 && bytes % (1L << 30) == 0) {
      return (bytes >> 30) + "Gi";
    }
    if (bytes != 0 && bytes % (1L << 20) == 0) {
      return (bytes >> 20) + "Mi";
    }
    if (bytes != 0 && bytes % (1L << 10) == 0) {
      return (bytes >> 10) + "Ki";
    }
    return Long.toString(bytes);
  }
}
