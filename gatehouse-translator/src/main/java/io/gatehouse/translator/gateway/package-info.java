/**
 * GatewayClass and Gateway translation:
 * {@link io.gatehouse.translator.gateway.GatewayClassTranslator} accepts our classes,
 * {@link io.gatehouse.translator.gateway.GatewayTranslator} and
 * {@link io.gatehouse.translator.gateway.ListenerValidator} validate Gateways and their listeners,
 * {@link io.gatehouse.translator.gateway.CertificateResolver} resolves HTTPS certificateRefs to
 * Secrets (with ReferenceGrants), {@link io.gatehouse.translator.gateway.GatewayAddresses} resolves
 * {@code spec.addresses}, {@link io.gatehouse.translator.gateway.InfrastructureMetadata} gives the
 * labels and annotations of generated resources,
 * {@link io.gatehouse.translator.gateway.SupportedFeatures} lists what the GatewayClass status
 * declares, and {@link io.gatehouse.translator.gateway.GatewayStatusWriter} writes their status
 * once routes are attached. {@link io.gatehouse.translator.gateway.ListenerSetResolver} attaches
 * ListenerSets to their parent Gateways, giving
 * {@link io.gatehouse.translator.gateway.ListenerSets}, which merges their listeners into the
 * Gateway and writes their status.
 */
@NullMarked
package io.gatehouse.translator.gateway;

import org.jspecify.annotations.NullMarked;
