package io.gatehouse.model;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Session persistence of a forwarding rule (Gateway API {@code HTTPRouteRule.sessionPersistence},
 * GEP-1619): the gateway hands the client a token naming the backend endpoint it chose, and later
 * requests that carry the token go to that endpoint while it is still one of the rule's.
 *
 * @param type how the token travels
 * @param sessionName the cookie or header name
 * @param scope distinguishes the rules: a token issued by one rule is ignored by every other
 * (Gateway API: route rules "MUST NOT share persistent sessions")
 * @param absoluteTimeout how long a session lasts from its start, or null for no limit
 * @param permanentCookie whether the cookie carries {@code Max-Age} ({@code absoluteTimeout}, which
 * is then set) rather than being a browser-session cookie
 */
public record SessionPersistence(Type type, String sessionName, String scope,
    @Nullable Duration absoluteTimeout, boolean permanentCookie) {

  /** Where the session token travels. */
  public enum Type {
    /** A cookie set with {@code Set-Cookie} and sent back in {@code Cookie}. */
    COOKIE,
    /** A response header that the client repeats as a request header of the same name. */
    HEADER
  }

  public SessionPersistence {
    requireNonNull(type, "type");
    requireNonNull(sessionName, "sessionName");
    requireNonNull(scope, "scope");
    if (sessionName.isEmpty()) {
      throw new IllegalArgumentException("empty sessionName");
    }
    if (permanentCookie && (type != Type.COOKIE || absoluteTimeout == null)) {
      throw new IllegalArgumentException("a permanent cookie needs type COOKIE and an absolute"
          + " timeout");
    }
    if (absoluteTimeout != null && !absoluteTimeout.isPositive()) {
      throw new IllegalArgumentException("absoluteTimeout must be positive");
    }
  }
}
