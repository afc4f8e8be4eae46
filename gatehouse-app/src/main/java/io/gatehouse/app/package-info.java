/**
 * The {@code gatehouse} command line: wiring only. Start at {@link io.gatehouse.app.Main}; each
 * subcommand is one class ({@code *Command}) that builds the pieces of the other modules and runs
 * them.
 */
@NullMarked
package io.gatehouse.app;

import org.jspecify.annotations.NullMarked;
