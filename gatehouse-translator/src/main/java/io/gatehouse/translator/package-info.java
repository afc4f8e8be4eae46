/**
 * The pure translator: {@link io.gatehouse.translator.Translator#translate} turns a
 * {@link io.gatehouse.translator.ResourceSnapshot} of Gateway API objects into one
 * {@link io.gatehouse.model.GatewayConfig} per Gateway and a
 * {@link io.gatehouse.translator.StatusUpdate} per object. No I/O, no clock, no mutation of inputs;
 * the same input gives the same output.
 */
@NullMarked
package io.gatehouse.translator;

import org.jspecify.annotations.NullMarked;
