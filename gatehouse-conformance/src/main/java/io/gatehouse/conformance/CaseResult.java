package io.gatehouse.conformance;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;

/**
 * The outcome of one case.
 *
 * @param name the case's (Go short) name
 * @param outcome passed, failed or skipped
 * @param message for a failure the assertion that failed; for a skip why (missing features)
 * @param duration wall time of the case, cleanup excluded
 * @param profiles the profiles it counts for
 * @param featureNames its features (reported names)
 */
public record CaseResult(String name, Outcome outcome, String message, Duration duration,
    List<String> profiles, List<String> featureNames) {
  /** How a case ended. */
  public enum Outcome {
    PASSED, FAILED, SKIPPED
  }

  public CaseResult {
    requireNonNull(name, "name");
    requireNonNull(outcome, "outcome");
    requireNonNull(message, "message");
    requireNonNull(duration, "duration");
    profiles = List.copyOf(profiles);
    featureNames = List.copyOf(featureNames);
  }
}
