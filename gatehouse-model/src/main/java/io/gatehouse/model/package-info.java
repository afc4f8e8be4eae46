/**
 * The model (IR) that the proxy consumes: one {@link io.gatehouse.model.GatewayConfig} per Gateway,
 * made of immutable records and sealed interfaces. The proxy never sees Gateway API objects,
 * fabric8 types or YAML; the translator is the only producer. Start at
 * {@link io.gatehouse.model.GatewayConfig} and {@link io.gatehouse.model.Route}.
 *
 * <p>
 * Invariants are checked in compact constructors, so an instance that exists is valid; lists and
 * maps are defensively copied and unmodifiable.
 */
@NullMarked
package io.gatehouse.model;

import org.jspecify.annotations.NullMarked;
