package io.gatehouse.proxy.route;

import io.gatehouse.model.StringMatchType;
import java.util.regex.Pattern;

/** A compiled header or query parameter value condition. */
sealed interface ValueMatcher {

  boolean matches(String value);

  static ValueMatcher of(StringMatchType type, String value) {
    return switch (type) {
      case EXACT -> new Exact(value);
      case REGULAR_EXPRESSION -> new Regex(Pattern.compile(value));
    };
  }

  record Exact(String expected) implements ValueMatcher {
    @Override
    public boolean matches(String value) {
      return expected.equals(value);
    }
  }

  record Regex(Pattern pattern) implements ValueMatcher {
    @Override
    public boolean matches(String value) {
      return pattern.matcher(value).matches();
    }
  }
}
