package io.gatehouse.proxy.edge;

import io.gatehouse.model.ClientIdentity;
import io.gatehouse.model.HeaderPolicy;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The edge's rules for request headers, per a {@link HeaderPolicy} (SECURITY.md A10, B3–B5). Two
 * steps: {@link #admit} before routing (limits, underscores, headers a client may not set) and
 * {@link #setForwarding} after the hop-by-hop headers are removed, so that nothing a client lists
 * in {@code Connection} can remove what the gateway sets.
 */
public final class EdgeHeaders {
  /** Headers only the gateway, or a trusted hop, may set. */
  private static final List<String> FORWARDING = List.of("x-forwarded-for", "x-forwarded-proto",
      "x-forwarded-host", "x-real-ip", "forwarded");
  /** The prefix of headers the gateway uses internally; never accepted from a client. */
  public static final String INTERNAL_PREFIX = "x-gateway-";

  private EdgeHeaders() {
  }

  /** Why a request is answered locally instead of routed. */
  public record Refusal(int status, String reason) {
  }

  /**
   * Checks and cleans a request's headers in place before routing: too many fields answer 431; a
   * name with {@code _} answers 400 or is dropped; {@code x-gateway-*} headers are removed, and so
   * are client forwarding headers when no hop is trusted ({@code X-Forwarded-For} stays in
   * {@link ClientIdentity.ForwardedFor#APPEND} mode, to be appended to).
   *
   * @return null when the request may be routed
   */
  public static @Nullable Refusal admit(HttpHeaders headers, HeaderPolicy policy) {
    if (headers.size() > policy.maxCount()) {
      return new Refusal(431, "request header fields too large: more than " + policy.maxCount()
          + " fields");
    }
    List<String> remove = new ArrayList<>();
    for (String name : headers.names()) {
      String lower = name.toLowerCase(Locale.ROOT);
      if (lower.indexOf('_') >= 0) {
        switch (policy.underscores()) {
          case REJECT -> {
            return new Refusal(400, "bad request: '_' in a header name");
          }
          case DROP -> remove.add(name);
          case ALLOW -> {
          }
        }
      }
      if (lower.startsWith(INTERNAL_PREFIX) || untrusted(lower, policy.identity())) {
        remove.add(name);
      }
    }
    remove.forEach(headers::remove);
    return null;
  }

  private static boolean untrusted(String lowerName, ClientIdentity id) {
    if (id.trustedHops() > 0 || !FORWARDING.contains(lowerName)) {
      return false;
    }
    return !lowerName.equals("x-forwarded-for")
        || id.forwardedFor() == ClientIdentity.ForwardedFor.OVERWRITE;
  }

  /**
   * Sets {@code X-Forwarded-For} (the peer, alone or appended) and {@code X-Forwarded-Proto} on a
   * request about to be forwarded; call after the hop-by-hop headers are removed.
   *
   * @param peer the TCP peer's address
   * @param scheme how the request reached the listener, {@code http} or {@code https}
   */
  public static void setForwarding(HttpHeaders headers, ClientIdentity id, String peer,
      String scheme) {
    List<String> previous = headers.getAll("x-forwarded-for");
    boolean overwrite = id.trustedHops() == 0
        && id.forwardedFor() == ClientIdentity.ForwardedFor.OVERWRITE;
    headers.set("x-forwarded-for",
        overwrite || previous.isEmpty() ? peer : String.join(", ", previous) + ", " + peer);
    if (id.trustedHops() == 0 || !headers.contains("x-forwarded-proto")) {
      headers.set("x-forwarded-proto", scheme);
    }
  }
}
