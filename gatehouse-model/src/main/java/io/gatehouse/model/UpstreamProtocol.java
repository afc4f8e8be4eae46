package io.gatehouse.model;

/** The protocol spoken to a cluster's endpoints. */
public enum UpstreamProtocol {
  /** HTTP/1.1 over cleartext TCP, with keep-alive. */
  HTTP1,
  /** HTTP/2 over cleartext TCP (appProtocol {@code kubernetes.io/h2c}). */
  H2C
}
