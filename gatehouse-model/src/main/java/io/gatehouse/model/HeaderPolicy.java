package io.gatehouse.model;

import static java.util.Objects.requireNonNull;

/**
 * How the proxy treats request headers at the edge (SECURITY.md B3–B5): names with underscores,
 * client identity headers, and the size of the header block.
 *
 * @param underscores what a header name containing {@code _} causes
 * @param identity who the client is and what the upstream is told about it
 * @param maxCount the most header fields a request may carry (HTTP/1.1: more answers 431)
 * @param maxBytes the largest request header block, in bytes (HTTP/1.1: larger answers 431)
 */
public record HeaderPolicy(UnderscoreAction underscores, ClientIdentity identity, int maxCount,
    int maxBytes) {
  /** Reject underscores, trust no hop, 100 fields, 60 KiB. */
  public static final HeaderPolicy DEFAULT = new HeaderPolicy(UnderscoreAction.REJECT,
      ClientIdentity.DEFAULT, 100, 60 * 1024);

  public HeaderPolicy {
    requireNonNull(underscores, "underscores");
    requireNonNull(identity, "identity");
    if (maxCount < 1) {
      throw new IllegalArgumentException("maxCount < 1");
    }
    if (maxBytes < 1024) {
      throw new IllegalArgumentException("maxBytes < 1024");
    }
  }

  /**
   * What a request header whose name contains {@code _} causes. Upstreams such as gunicorn, puma
   * and WEBrick map {@code -} and {@code _} to the same name, so {@code X_Forwarded_For} could
   * shadow the header the gateway sets.
   */
  public enum UnderscoreAction {
    /** 400 Bad Request (default). */
    REJECT,
    /** The header is removed before routing and never forwarded. */
    DROP,
    /** The header is kept (never the default). */
    ALLOW
  }

  public HeaderPolicy withUnderscores(UnderscoreAction action) {
    return new HeaderPolicy(action, identity, maxCount, maxBytes);
  }

  public HeaderPolicy withIdentity(ClientIdentity id) {
    return new HeaderPolicy(underscores, id, maxCount, maxBytes);
  }
}
