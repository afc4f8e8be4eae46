package io.gatehouse.proxy.tls;

/**
 * Process-level settings of TLS termination on HTTPS listeners (settings file section {@code tls}).
 *
 * @param sessionResumption whether clients may resume earlier sessions instead of a full handshake:
 * TLS 1.2 session IDs (the server's session cache) and session tickets (TLS 1.2 and the TLS 1.3
 * pre-shared keys). Off, every connection is a full handshake, which costs the server an asymmetric
 * signature per connection; useful to compare with servers configured that way, or where session
 * state must not outlive a connection
 */
public record ServerTlsOptions(boolean sessionResumption) {
  /** Sessions resumable (cache and tickets). */
  public static ServerTlsOptions defaults() {
    return new ServerTlsOptions(true);
  }
}
