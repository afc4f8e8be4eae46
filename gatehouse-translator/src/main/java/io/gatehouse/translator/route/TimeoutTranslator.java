package io.gatehouse.translator.route;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteTimeouts;
import io.gatehouse.model.Timeouts;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Translates an HTTPRoute rule's {@code timeouts}. Values are Gateway API durations (GEP-2257:
 * {@code ^([0-9]{1,5}(h|m|s|ms)){1,4}$}); {@code 0s} disables a timeout. {@code backendRequest}
 * longer than {@code request} makes the rule invalid.
 */
final class TimeoutTranslator {
  private static final Pattern DURATION = Pattern.compile("([0-9]{1,5}(h|m|s|ms)){1,4}");
  private static final Pattern PART = Pattern.compile("([0-9]{1,5})(h|ms|m|s)");

  private TimeoutTranslator() {
  }

  /** The rule's timeouts, or {@link Timeouts#NONE} after recording a problem in {@code invalid}. */
  static Timeouts translateTimeouts(@Nullable HTTPRouteTimeouts t, String path,
      RuleProblems invalid) {
    if (t == null) {
      return Timeouts.NONE;
    }
    Duration request = parse(t.getRequest(), path + ".request", invalid);
    Duration backend = parse(t.getBackendRequest(), path + ".backendRequest", invalid);
    if (request != null && backend != null && backend.compareTo(request) > 0) {
      invalid.unsupported(path + ".backendRequest", "\"" + t.getBackendRequest()
          + "\" must not be longer than request \"" + t.getRequest() + "\".");
      return Timeouts.NONE;
    }
    return new Timeouts(request, backend);
  }

  /** The duration, or null when absent, zero (disabled) or invalid (recorded). */
  static @Nullable Duration parse(@Nullable String value, String path, RuleProblems invalid) {
    if (value == null) {
      return null;
    }
    if (!DURATION.matcher(value).matches()) {
      invalid.unsupported(path, "\"" + value + "\" is not a duration such as 1s or 500ms.");
      return null;
    }
    Duration d = Duration.ZERO;
    Matcher m = PART.matcher(value);
    while (m.find()) {
      long n = Long.parseLong(m.group(1));
      d = d.plus(switch (m.group(2)) {
        case "h" -> Duration.ofHours(n);
        case "m" -> Duration.ofMinutes(n);
        case "s" -> Duration.ofSeconds(n);
        default -> Duration.ofMillis(n);
      });
    }
    return d.isZero() ? null : d;
  }
}
