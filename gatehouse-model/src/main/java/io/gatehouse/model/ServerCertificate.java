package io.gatehouse.model;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A certificate chain and its private key, served to clients whose SNI matches one of {@code
 * serverNames}.
 *
 * @param serverNames lower-case exact names, {@code *.} wildcards, or {@code *} for clients whose
 * SNI matches no other certificate (or who send none)
 * @param certificateChainPem the leaf first, PEM ({@code BEGIN CERTIFICATE} blocks)
 * @param privateKeyPem the key, PEM: PKCS#8 ({@code BEGIN PRIVATE KEY}), PKCS#1 ({@code BEGIN RSA
 *     PRIVATE KEY}) or SEC1 ({@code BEGIN EC PRIVATE KEY})
 * @param source where it came from, e.g. {@code Secret/ns/name}, for logs
 */
public record ServerCertificate(List<String> serverNames, String certificateChainPem,
    SecretValue privateKeyPem, String source) {
  public ServerCertificate {
    serverNames = List.copyOf(serverNames);
    requireNonNull(certificateChainPem, "certificateChainPem");
    requireNonNull(privateKeyPem, "privateKeyPem");
    requireNonNull(source, "source");
    if (serverNames.isEmpty()) {
      throw new IllegalArgumentException("a certificate needs at least one server name");
    }
  }
}
