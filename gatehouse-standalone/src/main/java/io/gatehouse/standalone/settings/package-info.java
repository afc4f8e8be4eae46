/**
 * The settings file of standalone mode: the data plane's process-level settings
 * ({@link io.gatehouse.proxy.ProxyOptions}) as YAML. Start at
 * {@link io.gatehouse.standalone.settings.SettingsFile}, which reads a file into
 * {@code ProxyOptions} (every field optional, every mistake refused with the field's path) and
 * writes {@code ProxyOptions} back as the same YAML; durations and sizes are written as
 * {@link io.gatehouse.standalone.settings.Durations} and
 * {@link io.gatehouse.standalone.settings.Quantities} describe.
 */
@NullMarked
package io.gatehouse.standalone.settings;

import org.jspecify.annotations.NullMarked;
