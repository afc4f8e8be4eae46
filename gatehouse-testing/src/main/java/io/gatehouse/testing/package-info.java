/**
 * Test and demo backends: an emulation of the Gateway API conformance echo server (echo-basic,
 * HARNESS.md §3.1) on Netty. Start with {@link io.gatehouse.testing.EchoServer} and
 * {@link io.gatehouse.testing.EchoOptions}; tests use {@link io.gatehouse.testing.EchoExtension}.
 * Inside, {@code EchoServerInitializer} assembles the pipeline, {@code Http1EchoHandler} and
 * {@code Http2EchoStreamHandler} speak the protocols, and the protocol-free {@code EchoResponder}
 * decides every reply. {@link io.gatehouse.testing.GrpcEchoServer} is the gRPC echo (HARNESS.md
 * §3.2) on grpc-java; its generated messages and stubs live in
 * {@code io.gatehouse.testing.grpc.echo} (from {@code src/main/proto/grpcecho.proto}).
 */
package io.gatehouse.testing;
