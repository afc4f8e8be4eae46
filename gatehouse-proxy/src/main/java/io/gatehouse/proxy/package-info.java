/**
 * The Netty data plane. Start at {@link io.gatehouse.proxy.GatewayProxy}: it binds the listeners of
 * the applied {@link io.gatehouse.model.GatewayConfig}s and routes requests to upstream clusters.
 */
@NullMarked
package io.gatehouse.proxy;

import org.jspecify.annotations.NullMarked;
