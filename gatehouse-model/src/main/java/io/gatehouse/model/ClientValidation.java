package io.gatehouse.model;

import static java.util.Objects.requireNonNull;

/**
 * How an HTTPS listener validates client certificates (Gateway API {@code spec.tls.frontend}, for
 * the listener's port or the Gateway's default): the server asks every client for a certificate and
 * checks it against {@code caCertificatesPem}.
 *
 * @param caCertificatesPem the trusted CA certificates, PEM ({@code BEGIN CERTIFICATE} blocks), at
 * least one
 * @param allowInsecureFallback {@code mode: AllowInsecureFallback}: a client without a certificate
 * or with one that does not validate is still served; false ({@code AllowValidOnly}, the default):
 * the handshake fails
 * @param source where the CA certificates came from, e.g. {@code ConfigMap/ns/name}, for logs
 */
public record ClientValidation(String caCertificatesPem, boolean allowInsecureFallback,
    String source) {
  public ClientValidation {
    requireNonNull(caCertificatesPem, "caCertificatesPem");
    requireNonNull(source, "source");
  }
}
