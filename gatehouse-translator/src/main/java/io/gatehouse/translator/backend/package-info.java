/**
 * Resolution of route backendRefs into model clusters:
 * {@link io.gatehouse.translator.backend.BackendResolver} (Services with their EndpointSlices,
 * Envoy Gateway Backends) and {@link io.gatehouse.translator.backend.ReferenceGrants} for
 * cross-namespace references.
 */
@NullMarked
package io.gatehouse.translator.backend;

import org.jspecify.annotations.NullMarked;
