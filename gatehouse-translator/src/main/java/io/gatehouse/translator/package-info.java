/**
 * The pure translator: {@link io.gatehouse.translator.Translator#translate} turns a
 * {@link io.gatehouse.translator.ResourceSnapshot} of Gateway API objects into one
 * {@link io.gatehouse.model.GatewayConfig} per Gateway and a
 * {@link io.gatehouse.translator.StatusUpdate} per object. No I/O, no clock, no mutation of inputs;
 * the same input gives the same output.
 *
 * <p>
 * The steps, in order: GatewayClasses ({@code gateway.GatewayClassTranslator}), Gateways and their
 * listeners ({@code gateway.GatewayTranslator}, {@code gateway.ListenerValidator}), HTTPRoutes
 * ({@code route.HTTPRouteTranslator}, with {@code backend.BackendResolver} and
 * {@code backend.ReferenceGrants}), Gateway status once attached routes are counted
 * ({@code gateway.GatewayStatusWriter}), then the model per Gateway ({@code ConfigAssembler}).
 * {@link io.gatehouse.translator.ResultFormat} prints a result as YAML or JSON.
 */
@NullMarked
package io.gatehouse.translator;

import org.jspecify.annotations.NullMarked;
