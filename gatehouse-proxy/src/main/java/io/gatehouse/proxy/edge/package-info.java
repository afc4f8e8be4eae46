/**
 * What the proxy decides about a request before it is routed: its one canonical path
 * ({@link io.gatehouse.proxy.edge.PathCanonicalizer}) and which of its headers may be believed and
 * forwarded ({@link io.gatehouse.proxy.edge.EdgeHeaders}). Pure functions over strings and Netty
 * header maps; no I/O.
 */
@NullMarked
package io.gatehouse.proxy.edge;

import org.jspecify.annotations.NullMarked;
