package io.gatehouse.translator.gateway;

import io.gatehouse.model.ClientValidation;
import io.gatehouse.translator.status.Problem;
import org.jspecify.annotations.Nullable;

/**
 * The Gateway's client-certificate validation ({@code spec.tls.frontend}) for one HTTPS listener's
 * port, after its references were resolved.
 *
 * @param validation what the proxy enforces, built from the valid CA references; null when none is
 * valid
 * @param refProblem the first invalid caCertificateRef (listener ResolvedRefs=False), or null
 * @param noValid why the listener is not accepted (NoValidCACertificate: no reference is valid), or
 * null; such a listener is not served, so no client is let in unchecked
 */
public record FrontendTls(@Nullable ClientValidation validation, @Nullable Problem refProblem,
    @Nullable Problem noValid) {
  /** Whether the listener can be served with it. */
  public boolean usable() {
    return noValid == null && validation != null;
  }
}
