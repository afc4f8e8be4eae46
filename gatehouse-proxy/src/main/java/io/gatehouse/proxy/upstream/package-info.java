/**
 * Upstream side of the data plane: {@link io.gatehouse.proxy.upstream.UpstreamCluster} (endpoints
 * and per-event-loop balancing), {@link io.gatehouse.proxy.upstream.UpstreamPool} (HTTP/1.1
 * keep-alive connections, or multiplexed h2c connections, per event loop and endpoint) and the
 * {@link io.gatehouse.proxy.upstream.UpstreamHandler} at the end of each upstream pipeline. All
 * state is confined to the event loop that owns the downstream connection, so nothing here locks.
 */
@NullMarked
package io.gatehouse.proxy.upstream;

import org.jspecify.annotations.NullMarked;
