package io.gatehouse.conformance;

/** A case failed: the message says which check and what was seen instead. */
final class AssertionFailure extends RuntimeException {
  AssertionFailure(String message) {
    super(message, null, false, false);
  }
}
