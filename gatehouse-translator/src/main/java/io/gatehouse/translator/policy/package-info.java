/**
 * Policies attached to backends: {@link io.gatehouse.translator.policy.BackendTlsPolicies}
 * (BackendTLSPolicy: validation, conflict resolution, status on the Gateways that use a targeted
 * Service, and the {@code UpstreamTls} of the clusters) and
 * {@link io.gatehouse.translator.policy.BackendClientCertificates} (a Gateway's
 * {@code spec.tls.backend.clientCertificateRef}).
 */
@NullMarked
package io.gatehouse.translator.policy;

import org.jspecify.annotations.NullMarked;
