/**
 * The L4 data plane: TCP listeners (TCPRoute) and TLS listeners (TLSRoute) in mode Passthrough or
 * Terminate. {@link io.gatehouse.proxy.l4.L4Listeners} binds them for {@code GatewayProxy};
 * {@link io.gatehouse.proxy.l4.L4Initializer} assembles each connection's pipeline;
 * {@link io.gatehouse.proxy.l4.SniRouteHandler} peeks a ClientHello for its SNI without terminating
 * TLS; {@link io.gatehouse.proxy.l4.L4FrontendHandler} opens the backend connection and
 * {@link io.gatehouse.proxy.l4.RelayHandler} relays bytes both ways with backpressure.
 */
@NullMarked
package io.gatehouse.proxy.l4;

import org.jspecify.annotations.NullMarked;
