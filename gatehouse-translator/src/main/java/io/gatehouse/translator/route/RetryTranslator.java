package io.gatehouse.translator.route;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRetry;
import io.gatehouse.model.Retry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Translates an HTTPRoute rule's {@code retry} (Gateway API {@code HTTPRouteRetry}, GEP-1731).
 * {@code attempts} counts the retries after the first try ("the maximum number of times an
 * individual request from the gateway to a backend should be retried"); when it is omitted
 * {@link #DEFAULT_ATTEMPTS} applies (the spec leaves it to the implementation). {@code codes} must
 * be 400-599 and {@code backoff} a Gateway API duration; a value out of range drops the rule.
 */
final class RetryTranslator {
  /** Retries when {@code attempts} is omitted, as Envoy Gateway does. */
  static final int DEFAULT_ATTEMPTS = 2;

  private RetryTranslator() {
  }

  /** The rule's retry policy, or {@link Retry#NONE} (after recording a problem when invalid). */
  static Retry translateRetry(@Nullable HTTPRouteRetry retry, String path, RuleProblems invalid) {
    if (retry == null) {
      return Retry.NONE;
    }
    int attempts = retry.getAttempts() == null ? DEFAULT_ATTEMPTS : retry.getAttempts();
    boolean ok = true;
    if (attempts < 0) {
      invalid.unsupported(path + ".attempts", attempts + " is negative.");
      ok = false;
    }
    List<Integer> codes = new ArrayList<>();
    List<Integer> written = retry.getCodes() == null ? List.of() : retry.getCodes();
    for (int i = 0; i < written.size(); i++) {
      Integer code = written.get(i);
      if (code == null || code < 400 || code > 599) {
        invalid.unsupported(path + ".codes[" + i + "]", code + " is not between 400 and 599.");
        ok = false;
      } else {
        codes.add(code);
      }
    }
    Duration backoff = TimeoutTranslator.parse(retry.getBackoff(), path + ".backoff", invalid);
    if (backoff == null && retry.getBackoff() != null) {
      backoff = Duration.ZERO; // "0s"; an invalid value was recorded and drops the rule
    }
    return ok ? new Retry(codes, attempts, backoff) : Retry.NONE;
  }
}
