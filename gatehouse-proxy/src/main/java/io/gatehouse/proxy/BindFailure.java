package io.gatehouse.proxy;

import static java.util.Objects.requireNonNull;

/**
 * A listener the proxy could not bind.
 *
 * @param listener the model listener's name ({@code <namespace>/<gateway>/<port>})
 * @param address the address and actual port that failed, e.g. {@code 127.0.0.2:10080}
 * @param message why, e.g. "Address already in use"
 */
public record BindFailure(String listener, String address, String message) {
  public BindFailure {
    requireNonNull(listener, "listener");
    requireNonNull(address, "address");
    requireNonNull(message, "message");
  }
}
