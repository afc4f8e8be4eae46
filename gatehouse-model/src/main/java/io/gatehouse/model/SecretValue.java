package io.gatehouse.model;

import static java.util.Objects.requireNonNull;

/**
 * A secret string (a private key): its {@link #toString()} never shows the value, so it cannot leak
 * into logs or config dumps by accident. Read it with {@link #reveal()}.
 */
public final class SecretValue {
  private final String value;

  private SecretValue(String value) {
    this.value = requireNonNull(value, "value");
  }

  public static SecretValue of(String value) {
    return new SecretValue(value);
  }

  /** The secret itself; only code that must use it (the TLS setup) calls this. */
  public String reveal() {
    return value;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SecretValue s && s.value.equals(value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  @Override
  public String toString() {
    return "<redacted>";
  }
}
