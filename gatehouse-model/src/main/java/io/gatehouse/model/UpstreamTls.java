package io.gatehouse.model;

import static java.util.Objects.requireNonNull;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * TLS from the gateway to a cluster's endpoints (Gateway API BackendTLSPolicy, and the Gateway's
 * {@code spec.tls.backend.clientCertificateRef}). The proxy never falls back to cleartext: a
 * cluster with this set either completes a verified handshake or fails the request with a 5xx.
 *
 * @param serverName sent as SNI (RFC 6066); the certificate must match it as a DNS name unless
 * {@code subjectAltNames} is not empty
 * @param caCertificatesPem the trust anchors, PEM ({@code BEGIN CERTIFICATE} blocks); empty with
 * {@code systemTrust} false when the policy's CA references are invalid: nothing is trusted, and
 * every request gets 503 without a connection attempt
 * @param systemTrust trust the platform's well-known CAs ({@code wellKnownCACertificates: System})
 * @param subjectAltNames when not empty, the certificate must carry at least one of these instead
 * of matching {@code serverName}
 * @param clientCertificate presented when the upstream asks for one, or null
 * @param source the policy it came from, e.g. {@code BackendTLSPolicy/ns/name}, for logs
 */
public record UpstreamTls(String serverName, List<String> caCertificatesPem, boolean systemTrust,
    List<SubjectAltName> subjectAltNames, @Nullable ClientCertificate clientCertificate,
    String source) {
  public UpstreamTls {
    requireNonNull(serverName, "serverName");
    caCertificatesPem = List.copyOf(caCertificatesPem);
    subjectAltNames = List.copyOf(subjectAltNames);
    requireNonNull(source, "source");
  }

  /** Whether no trust anchor is configured, so no backend can ever be verified. */
  public boolean trustsNothing() {
    return caCertificatesPem.isEmpty() && !systemTrust;
  }

  /** A copy that presents {@code certificate} (or none, when null). */
  public UpstreamTls withClientCertificate(@Nullable ClientCertificate certificate) {
    return new UpstreamTls(serverName, caCertificatesPem, systemTrust, subjectAltNames,
        certificate, source);
  }

  /** One accepted subject alternative name. */
  public record SubjectAltName(Type type, String value) {
    /** DNS names match case-insensitively, with a leading {@code *.} label; URIs exactly. */
    public enum Type {
      HOSTNAME, URI
    }

    public SubjectAltName {
      requireNonNull(type, "type");
      requireNonNull(value, "value");
    }
  }

  /**
   * A client certificate chain and key.
   *
   * @param certificateChainPem the leaf first, PEM
   * @param privateKeyPem PKCS#8, PKCS#1 or SEC1 PEM
   * @param source e.g. {@code Secret/ns/name}
   */
  public record ClientCertificate(String certificateChainPem, SecretValue privateKeyPem,
      String source) {
    public ClientCertificate {
      requireNonNull(certificateChainPem, "certificateChainPem");
      requireNonNull(privateKeyPem, "privateKeyPem");
      requireNonNull(source, "source");
    }
  }
}
