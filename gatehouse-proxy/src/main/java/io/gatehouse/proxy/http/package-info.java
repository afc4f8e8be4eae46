/**
 * Downstream (client-facing) HTTP/1.1: {@link io.gatehouse.proxy.http.ServerInitializer} assembles
 * each accepted connection's pipeline, {@link io.gatehouse.proxy.http.DownstreamHandler} routes
 * each request and answers it locally or through a {@link io.gatehouse.proxy.http.ForwardExchange},
 * which relays the request and response bodies between the two connections with backpressure. A
 * WebSocket handshake the backend accepts turns both connections into a byte tunnel
 * ({@link io.gatehouse.proxy.http.WebSocketTunnel}, {@link io.gatehouse.proxy.http.TunnelHandler}).
 * Cleartext HTTP/2 with prior knowledge is detected by {@code H2cPrefaceHandler}; each of its
 * streams is served by the same handlers ({@code Http2StreamInitializer}), within
 * {@link io.gatehouse.proxy.http.Http2Limits}.
 */
@NullMarked
package io.gatehouse.proxy.http;

import org.jspecify.annotations.NullMarked;
