package io.gatehouse.translator.gateway;

import static java.util.Objects.requireNonNull;

import io.gatehouse.model.SecretValue;

/**
 * A listener certificate read from a Secret and checked to parse.
 *
 * @param chainPem {@code tls.crt}: one or more {@code BEGIN CERTIFICATE} blocks, leaf first
 * @param keyPem {@code tls.key}: a PKCS#8, PKCS#1 or SEC1 PEM private key
 * @param source {@code Secret/<ns>/<name>}
 */
public record TlsCertificate(String chainPem, SecretValue keyPem, String source) {
  public TlsCertificate {
    requireNonNull(chainPem, "chainPem");
    requireNonNull(keyPem, "keyPem");
    requireNonNull(source, "source");
  }
}
