package io.gatehouse.proxy.edge;

import io.gatehouse.model.ClientIdentity;
import io.gatehouse.model.HeaderPolicy;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
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
    List<String> remove = null;
    for (Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence(); it
        .hasNext();) {
      CharSequence name = it.next().getKey();
      boolean drop = false;
      if (indexOf(name, '_') >= 0) {
        switch (policy.underscores()) {
          case REJECT -> {
            return new Refusal(400, "bad request: '_' in a header name");
          }
          case DROP -> drop = true;
          case ALLOW -> {
          }
        }
      }
      if (drop || AsciiString.regionMatches(name, true, 0, INTERNAL_PREFIX, 0,
          INTERNAL_PREFIX.length()) || untrusted(name, policy.identity())) {
        if (remove == null) {
          remove = new ArrayList<>();
        }
        remove.add(name.toString());
      }
    }
    if (remove != null) {
      remove.forEach(headers::remove);
    }
    return null;
  }

  private static int indexOf(CharSequence s, char c) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) == c) {
        return i;
      }
    }
    return -1;
  }

  private static boolean untrusted(CharSequence name, ClientIdentity id) {
    if (id.trustedHops() > 0) {
      return false;
    }
    for (String f : FORWARDING) {
      if (AsciiString.contentEqualsIgnoreCase(name, f)) {
        return !f.equals("x-forwarded-for")
            || id.forwardedFor() == ClientIdentity.ForwardedFor.OVERWRITE;
      }
    }
    return false;
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
