package io.gatehouse.testing;

/**
 * Go's canonical header key form ({@code textproto.CanonicalMIMEHeaderKey}), which the echo body
 * uses for header names: {@code x-header-set} becomes {@code X-Header-Set}.
 */
final class GoHeaderNames {

  private GoHeaderNames() {
  }

  /**
   * Upper-cases the first letter and every letter after a hyphen and lower-cases the rest. Like Go,
   * returns {@code name} unchanged when it holds a byte that is not an RFC 9110 token character.
   */
  static String canonical(String name) {
    StringBuilder out = new StringBuilder(name.length());
    boolean upper = true;
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (!isTokenChar(c)) {
        return name;
      }
      out.append(upper ? Character.toUpperCase(c) : Character.toLowerCase(c));
      upper = c == '-';
    }
    return out.toString();
  }

  /** Whether {@code name} is a valid RFC 9110 field name (a non-empty token). */
  static boolean isToken(String name) {
    return !name.isEmpty() && name.chars().allMatch(c -> isTokenChar((char) c));
  }

  private static boolean isTokenChar(char c) {
    return c < 0x7f && (Character.isLetterOrDigit(c) || "!#$%&'*+-.^_`|~".indexOf(c) >= 0);
  }
}
