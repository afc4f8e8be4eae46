/**
 * Backpressure plumbing shared by both sides of the proxy:
 * {@link io.gatehouse.proxy.flow.ReadDemandHandler} turns each {@code read()} into exactly one
 * inbound message.
 */
@NullMarked
package io.gatehouse.proxy.flow;

import org.jspecify.annotations.NullMarked;
