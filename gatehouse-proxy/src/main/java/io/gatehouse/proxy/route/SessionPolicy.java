package io.gatehouse.proxy.route;

import io.gatehouse.model.SessionPersistence;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * A forwarding rule's session persistence (GEP-1619) on the data path.
 *
 * <p>
 * A request without a valid token is balanced as usual; its upstream response then carries a new
 * token, as a cookie ({@code Set-Cookie: <name>=<token>; Path=<route path>; HttpOnly;
 * SameSite=Strict}, plus {@code Secure} on HTTPS and {@code Max-Age} for a permanent cookie) or as
 * a response header {@code <name>: <token>}. A request whose cookie or header carries a valid token
 * skips the weighted choice and goes to the token's endpoint, also when its backend's weight is now
 * 0. A token is valid when it was issued by this rule (its scope), its backend is still the same
 * cluster at the same position, its endpoint is still one of that cluster's endpoints, and its
 * {@code absoluteTimeout} has not elapsed; otherwise the request is balanced and gets a new token.
 *
 * <p>
 * The token is base64url text naming the rule, the backend position and cluster, the endpoint and
 * the start of the session. It is not a credential and is not signed: a client that edits it can
 * only choose among the rule's own endpoints (anything else is rejected), or stretch its own
 * session's lifetime.
 *
 * <p>
 * Immutable; thread-safe.
 */
public final class SessionPolicy {
  private static final int MAX_TOKEN = 2048;
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

  private final SessionPersistence config;
  private final List<RouteAction.@Nullable Backend> backends;
  private final String cookiePath;
  private final LongSupplier clock;

  /**
   * @param backends every backend of the action by position; null where the cluster is undefined
   * @param cookiePath the path of the route, the cookie's {@code Path}
   */
  SessionPolicy(SessionPersistence config, List<RouteAction.@Nullable Backend> backends,
      String cookiePath) {
    this(config, backends, cookiePath, System::currentTimeMillis);
  }

  SessionPolicy(SessionPersistence config, List<RouteAction.@Nullable Backend> backends,
      String cookiePath, LongSupplier clock) {
    this.config = config;
    this.backends = new ArrayList<>(backends);
    this.cookiePath = cookiePath;
    this.clock = clock;
  }

  /** The session's backend and endpoint. */
  public record Pinned(RouteAction.Backend backend, InetSocketAddress endpoint) {
  }

  /** The endpoint of the request's session, or null when it has no valid token. */
  public @Nullable Pinned pinned(HttpHeaders request) {
    for (String token : tokens(request)) {
      Pinned p = decode(token);
      if (p != null) {
        return p;
      }
    }
    return null;
  }

  /**
   * The edits that hand a new session to the client: a {@code Set-Cookie} or the session header.
   *
   * @param secure whether the client came over HTTPS (the cookie is then {@code Secure})
   */
  public HeaderEdits issue(RouteAction.Backend backend, InetSocketAddress endpoint,
      boolean secure) {
    String token = token(backend, endpoint, clock.getAsLong());
    if (config.type() == SessionPersistence.Type.HEADER) {
      return HeaderEdits.adding(config.sessionName(), token);
    }
    StringBuilder cookie = new StringBuilder(config.sessionName()).append('=').append(token)
        .append("; Path=").append(cookiePath);
    Duration absolute = config.absoluteTimeout();
    if (config.permanentCookie() && absolute != null) {
      cookie.append("; Max-Age=").append(Math.max(1, absolute.toSeconds()));
    }
    if (secure) {
      cookie.append("; Secure");
    }
    cookie.append("; HttpOnly; SameSite=Strict");
    return HeaderEdits.adding(HttpHeaderNames.SET_COOKIE.toString(), cookie.toString());
  }

  String token(RouteAction.Backend backend, InetSocketAddress endpoint, long issuedMillis) {
    String text = String.join("\n", "v1", config.scope(), Integer.toString(backend.index()),
        backend.cluster().name(), endpoint.getAddress().getHostAddress(),
        Integer.toString(endpoint.getPort()), Long.toString(issuedMillis));
    return ENCODER.encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  private List<String> tokens(HttpHeaders request) {
    List<String> out = new ArrayList<>();
    if (config.type() == SessionPersistence.Type.HEADER) {
      out.addAll(request.getAll(config.sessionName()));
      return out;
    }
    for (String header : request.getAll(HttpHeaderNames.COOKIE)) {
      for (Cookie c : ServerCookieDecoder.LAX.decodeAll(header)) {
        if (c.name().equals(config.sessionName())) {
          out.add(c.value());
        }
      }
    }
    return out;
  }

  private @Nullable Pinned decode(String token) {
    if (token.isEmpty() || token.length() > MAX_TOKEN) {
      return null;
    }
    String[] parts;
    try {
      parts = new String(Base64.getUrlDecoder().decode(token.trim()), StandardCharsets.UTF_8)
          .split("\n", -1);
    } catch (IllegalArgumentException e) {
      return null;
    }
    if (parts.length != 7 || !parts[0].equals("v1") || !parts[1].equals(config.scope())) {
      return null;
    }
    try {
      int index = Integer.parseInt(parts[2]);
      long issued = Long.parseLong(parts[6]);
      if (index < 0 || index >= backends.size() || !alive(issued)) {
        return null;
      }
      RouteAction.Backend backend = backends.get(index);
      if (backend == null || !backend.cluster().name().equals(parts[3])) {
        return null;
      }
      InetSocketAddress endpoint = new InetSocketAddress(literal(parts[4]),
          Integer.parseInt(parts[5]));
      return backend.cluster().contains(endpoint) ? new Pinned(backend, endpoint) : null;
    } catch (IllegalArgumentException | UnknownHostException e) {
      return null;
    }
  }

  private boolean alive(long issuedMillis) {
    long now = clock.getAsLong();
    Duration absolute = config.absoluteTimeout();
    // A start in the future is a forgery or a clock step back; treat it as no session.
    return issuedMillis <= now + 60_000
        && (absolute == null || now - issuedMillis < absolute.toMillis());
  }

  /** An IP literal, never a name lookup (this runs on an event loop). */
  private static InetAddress literal(String ip) throws UnknownHostException {
    boolean literal = !ip.isEmpty() && ip.chars().allMatch(
        c -> Character.digit(c, 16) >= 0 || c == '.' || c == ':' || c == '%');
    if (!literal) {
      throw new UnknownHostException("not an IP literal");
    }
    return InetAddress.getByName(ip);
  }
}
