package io.gatehouse.translator.route;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.SessionPersistence;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Translates a rule's {@code sessionPersistence} (GEP-1619) into the model's
 * {@link io.gatehouse.model.SessionPersistence}: {@code type} Cookie (the default) or Header;
 * {@code sessionName} (a cookie or header name: an RFC 9110 token of at most 128 characters), by
 * default {@code gatehouse-session-<hash of the rule>} so that no two rules share one;
 * {@code absoluteTimeout} (a Gateway API duration, longer than zero; the Gateway API model this
 * release reads has no {@code idleTimeout}); {@code cookieConfig.lifetimeType} Session (the
 * default) or Permanent, which needs {@code absoluteTimeout} (the CRD's CEL rule) and a Cookie
 * type. Any other value is recorded in {@link RuleProblems} (UnsupportedValue) and drops the rule.
 */
final class SessionTranslator {
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9!#$%&'*+\\-.^_`|~]{1,128}");
  private static final Pattern DURATION = Pattern.compile("([0-9]{1,5}(h|m|s|ms)){1,4}");

  private SessionTranslator() {
  }

  /**
   * The rule's session persistence, or null when it has none.
   *
   * @param scope the rule, {@code <namespace>/<route>/rule/<index>}
   */
  static io.gatehouse.model.@Nullable SessionPersistence translateSession(
      @Nullable SessionPersistence s, String scope, String path, RuleProblems invalid) {
    if (s == null) {
      return null;
    }
    String typeName = s.getType() == null ? "Cookie" : s.getType();
    io.gatehouse.model.SessionPersistence.Type type = switch (typeName) {
      case "Cookie" -> io.gatehouse.model.SessionPersistence.Type.COOKIE;
      case "Header" -> io.gatehouse.model.SessionPersistence.Type.HEADER;
      default -> {
        invalid.unsupported(path + ".type", "Session persistence type \"" + typeName
            + "\" is not supported; use Cookie or Header.");
        yield io.gatehouse.model.SessionPersistence.Type.COOKIE;
      }
    };
    String name = s.getSessionName() == null ? defaultName(scope) : s.getSessionName();
    if (!TOKEN.matcher(name).matches()) {
      invalid.unsupported(path + ".sessionName", "Session name \"" + name + "\" is not a valid"
          + " cookie or header name (a token of at most 128 characters).");
      name = defaultName(scope);
    }
    Duration absolute = duration(s.getAbsoluteTimeout(), path + ".absoluteTimeout", invalid);
    boolean permanent = false;
    if (s.getCookieConfig() != null && s.getCookieConfig().getLifetimeType() != null) {
      String lifetime = s.getCookieConfig().getLifetimeType();
      String lifetimePath = path + ".cookieConfig.lifetimeType";
      switch (lifetime) {
        case "Session" -> permanent = false;
        case "Permanent" -> permanent = true;
        default -> invalid.unsupported(lifetimePath, "Cookie lifetime type \"" + lifetime
            + "\" is not supported; use Session or Permanent.");
      }
      if (type != io.gatehouse.model.SessionPersistence.Type.COOKIE) {
        invalid.unsupported(path + ".cookieConfig", "A cookieConfig needs type Cookie.");
        permanent = false;
      } else if (permanent && absolute == null) {
        invalid.unsupported(lifetimePath, "A Permanent cookie needs an absoluteTimeout.");
        permanent = false;
      }
    }
    return new io.gatehouse.model.SessionPersistence(type, name, scope, absolute, permanent);
  }

  /** A positive duration, or null when absent or after recording why it is invalid. */
  private static @Nullable Duration duration(@Nullable String value, String path,
      RuleProblems invalid) {
    if (value == null) {
      return null;
    }
    Duration d = TimeoutTranslator.parse(value, path, invalid);
    if (d == null && DURATION.matcher(value).matches()) {
      invalid.unsupported(path, "\"" + value + "\" must be longer than zero.");
    }
    return d;
  }

  /** A cookie name unique to the rule, stable across translations. */
  static String defaultName(String scope) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256")
          .digest(scope.getBytes(StandardCharsets.UTF_8));
      return "gatehouse-session-" + HexFormat.of().formatHex(hash, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }
}
