package io.gatehouse.model;

/** How a header or query parameter value is compared. */
public enum StringMatchType {
  /** The value equals the expected value exactly. */
  EXACT,
  /** The whole value matches a java.util.regex regular expression. */
  REGULAR_EXPRESSION
}
