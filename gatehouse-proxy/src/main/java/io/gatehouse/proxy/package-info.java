/**
 * The Netty data plane. Start at {@link io.gatehouse.proxy.GatewayProxy}: it binds the listeners of
 * the applied {@link io.gatehouse.model.GatewayConfig}s and routes requests to upstream clusters.
 * Subpackages: {@code route} (immutable route tables), {@code http} (client-facing HTTP/1.1 and the
 * request relay), {@code tls} (TLS termination: certificates by SNI), {@code upstream} (clusters,
 * balancing, connection pools), {@code flow} (read-on-demand backpressure).
 *
 * <p>
 * Decisions worth knowing:
 * <ul>
 * <li>Every channel runs with auto-read off and a {@code ReadDemandHandler} after its codec: one
 * {@code read()} yields one HTTP message, and each side reads only when the other side's write of
 * the previous message completed. No body is ever buffered whole.
 * <li>A client connection and the upstream connections it uses share one event loop; pools and
 * balancer state are per event loop, so the data path takes no lock.
 * <li>A request on a reused upstream connection that the server closed before answering is retried
 * once on a fresh connection when nothing was written yet, or when it is idempotent and bodyless
 * (RFC 9112 §9.3.1).
 * <li>X-Forwarded-For: trusted hops are 0 for now, so a client's value is replaced by the peer
 * address.
 * <li>H2C clusters get HTTP/2 with prior knowledge: one multiplexed connection per event loop and
 * endpoint, one stream per request, relayed with the same code as HTTP/1.1 (the stream pipeline
 * converts frames to {@code HttpObject}s). Requests that arrive over HTTP/1.1 stay HTTP/1.1
 * semantics (no trailers-only gRPC; downstream HTTP/2 is a later issue).
 * <li>HTTPS listeners terminate TLS 1.2/1.3 with BoringSSL (netty-tcnative) when it loads, else the
 * JDK; the certificate is chosen by SNI (exact, longest wildcard, {@code *} default; otherwise the
 * handshake fails). ALPN offers {@code http/1.1} only: downstream HTTP/2 is a later issue.
 * {@code X-Forwarded-Proto} is the listener's scheme.
 * <li>Redirects are answered locally; their {@code Location} defaults use the request's scheme and
 * the listener's port as written in the Gateway (not the offset port actually bound).
 * </ul>
 */
@NullMarked
package io.gatehouse.proxy;

import org.jspecify.annotations.NullMarked;
