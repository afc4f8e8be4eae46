/**
 * Immutable, precompiled routing: a {@link io.gatehouse.proxy.route.RouteTable} per bound listener
 * picks a virtual host by the {@code Host} header and then the first
 * {@link io.gatehouse.proxy.route.RouteEntry} whose match accepts the request. Start at
 * {@link io.gatehouse.proxy.route.RouteTable#of}. Nothing here does I/O; tables are safe to share
 * between event loops.
 */
@NullMarked
package io.gatehouse.proxy.route;

import org.jspecify.annotations.NullMarked;
