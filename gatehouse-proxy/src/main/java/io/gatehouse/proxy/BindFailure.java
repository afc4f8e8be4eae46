package io.gatehouse.proxy;

import static java.util.Objects.requireNonNull;

/**
 * A listener the proxy could not bind, or a certificate of an HTTPS listener it could not use (the
 * listener then serves with its other certificates).
 *
 * @param listener the model listener's name ({@code <namespace>/<gateway>/<port>})
 * @param address the address and actual port that failed, e.g. {@code 127.0.0.2:10080}
 * @param message why, e.g. "Address already in use", or "Certificate Secret/ns/name is not served:
 * private key does not match the leaf certificate."
 */
public record BindFailure(String listener, String address, String message) {
  public BindFailure {
    requireNonNull(listener, "listener");
    requireNonNull(address, "address");
    requireNonNull(message, "message");
  }
}
