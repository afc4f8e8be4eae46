package io.gatehouse.model;

import static java.util.Objects.requireNonNull;

/**
 * Which address is the client's, and what the upstream learns about it (Envoy's
 * {@code use_remote_address} and {@code xff_num_trusted_hops}).
 *
 * <p>
 * With {@code trustedHops} 0 the TCP peer is the client: the client's {@code X-Forwarded-For},
 * {@code X-Forwarded-Proto}, {@code X-Forwarded-Host}, {@code X-Real-IP} and {@code Forwarded} are
 * removed before routing, and the gateway sets {@code X-Forwarded-For} (overwritten with the peer,
 * or the peer appended to the client's value, per {@code forwardedFor}) and
 * {@code X-Forwarded-Proto}. With {@code trustedHops} n &gt; 0 the client's forwarding headers are
 * kept, the peer is appended to {@code X-Forwarded-For}, and the client is the n-th address from
 * the right of the result. Internal {@code x-gateway-*} headers from clients are always removed.
 *
 * @param trustedHops how many proxies in front of the gateway are trusted to set
 * {@code X-Forwarded-For}, 0 by default
 * @param forwardedFor what happens to a client-supplied {@code X-Forwarded-For} when no hop is
 * trusted
 */
public record ClientIdentity(int trustedHops, ForwardedFor forwardedFor) {
  /** The TCP peer is the client; {@code X-Forwarded-For} is overwritten. */
  public static final ClientIdentity DEFAULT = new ClientIdentity(0, ForwardedFor.OVERWRITE);

  public ClientIdentity {
    requireNonNull(forwardedFor, "forwardedFor");
    if (trustedHops < 0 || trustedHops > 16) {
      throw new IllegalArgumentException("trustedHops out of range: " + trustedHops);
    }
  }

  /** A client-supplied {@code X-Forwarded-For} when no hop is trusted. */
  public enum ForwardedFor {
    /** Replaced by the TCP peer's address (default). */
    OVERWRITE,
    /**
     * The TCP peer's address is appended to it; the upstream must then only believe the last entry.
     */
    APPEND
  }
}
