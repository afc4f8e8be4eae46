/**
 * Standalone mode: one process that serves a directory of Kubernetes YAML. Start at
 * {@link io.gatehouse.standalone.StandaloneGateway}, which wires the
 * {@link io.gatehouse.standalone.file.FileSource}, the translator, the proxy and the
 * {@link io.gatehouse.standalone.admin.AdminServer}; settings are in
 * {@link io.gatehouse.standalone.StandaloneOptions}.
 */
@NullMarked
package io.gatehouse.standalone;

import org.jspecify.annotations.NullMarked;
