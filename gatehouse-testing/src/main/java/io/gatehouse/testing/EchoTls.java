package io.gatehouse.testing;

import static java.util.Objects.requireNonNull;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The TLS settings of an echo-basic HTTPS port (HARNESS.md §3.1, port 8443): the serving
 * certificate ({@code TLS_SERVER_CERT}/{@code TLS_SERVER_PRIVKEY}) and, when not empty, the CAs a
 * client certificate is verified against ({@code TLS_CLIENT_CACERTS}): one is then requested but
 * not required.
 *
 * @param key the serving key
 * @param chain the serving chain, leaf first
 * @param clientCas trust anchors for client certificates; empty: none is requested
 */
public record EchoTls(PrivateKey key, List<X509Certificate> chain,
    List<X509Certificate> clientCas) {
  public EchoTls {
    requireNonNull(key, "key");
    chain = List.copyOf(chain);
    clientCas = List.copyOf(clientCas);
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("a serving certificate is required");
    }
  }
}
