/**
 * The Gateway API conformance runner: replays the suite's cases, kept as data, against a standalone
 * gateway, and writes a ConformanceReport and JUnit XML.
 */
@NullMarked
package io.gatehouse.conformance;

import org.jspecify.annotations.NullMarked;
