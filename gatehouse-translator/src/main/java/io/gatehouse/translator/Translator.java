package io.gatehouse.translator;

/**
 * Turns Gateway API resources into proxy configuration and statuses. Pure: no I/O, no clock, no
 * logging beyond a debug summary, inputs never mutated, output deterministic. Every user mistake
 * becomes a status condition, never an exception; an invalid rule or listener is dropped alone.
 */
public final class Translator {
  private final TranslatorOptions options;

  public Translator(TranslatorOptions options) {
    this.options = options;
  }

  /** Translates one snapshot. */
  public TranslationResult translate(ResourceSnapshot snapshot) {
    throw new UnsupportedOperationException("not yet: " + options + snapshot);
  }
}
