/**
 * Test and demo backends: an emulation of the Gateway API conformance echo server (echo-basic,
 * HARNESS.md §3.1) on Netty. Start with {@link io.gatehouse.testing.EchoServer} and
 * {@link io.gatehouse.testing.EchoOptions}; tests use {@link io.gatehouse.testing.EchoExtension}.
 * Inside, {@code EchoServerInitializer} assembles the pipeline, {@code Http1EchoHandler} and
 * {@code Http2EchoStreamHandler} speak the protocols, and the protocol-free {@code EchoResponder}
 * decides every reply.
 */
package io.gatehouse.testing;
