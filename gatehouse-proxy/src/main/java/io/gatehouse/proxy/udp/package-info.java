/**
 * The UDP data plane (UDPRoute): {@link io.gatehouse.proxy.udp.UdpRelay} binds one listener socket
 * and keeps one {@link io.gatehouse.proxy.udp.UdpSession} per client address and port, each with a
 * connected upstream datagram socket to the backend endpoint drawn for it; replies leave through
 * the listener socket, so the client sees them come from the address it sent to.
 */
@NullMarked
package io.gatehouse.proxy.udp;

import org.jspecify.annotations.NullMarked;
