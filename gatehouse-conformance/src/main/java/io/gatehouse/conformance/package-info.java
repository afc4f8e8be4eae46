/**
 * The Gateway API conformance runner: replays the suite's cases, kept as data, against a standalone
 * gateway, and writes a ConformanceReport and JUnit XML.
 *
 * <p>
 * Start at {@link io.gatehouse.conformance.ConformanceRunner} (the run) and {@code CaseRunner} (one
 * case). The emulated cluster is {@code EmulatedCluster} (config files, echo pods, EndpointSlices,
 * generated certificates); the checks are {@code StatusAssertions} ({@code assert:} kinds) and
 * {@code TrafficChecks} (HTTP/1.1 and HTTP/2 round trips compared as the suite's
 * {@code CompareRoundTrip}). See {@code docs/conformance.md}.
 */
@NullMarked
package io.gatehouse.conformance;

import org.jspecify.annotations.NullMarked;
