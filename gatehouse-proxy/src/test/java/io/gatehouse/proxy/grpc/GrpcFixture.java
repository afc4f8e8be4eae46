package io.gatehouse.proxy.grpc;

import io.gatehouse.model.Action;
import io.gatehouse.model.Cluster;
import io.gatehouse.model.Endpoint;
import io.gatehouse.model.GatewayConfig;
import io.gatehouse.model.GatewayRef;
import io.gatehouse.model.HttpListener;
import io.gatehouse.model.HttpsListener;
import io.gatehouse.model.PathMatch;
import io.gatehouse.model.Route;
import io.gatehouse.model.RouteMatch;
import io.gatehouse.model.Timeouts;
import io.gatehouse.model.UpstreamProtocol;
import io.gatehouse.model.UpstreamTls;
import io.gatehouse.model.VirtualHost;
import io.gatehouse.model.WeightedCluster;
import io.gatehouse.proxy.BindFailure;
import io.gatehouse.proxy.GatewayProxy;
import io.gatehouse.proxy.ProxyOptions;
import io.gatehouse.proxy.tls.TestCertificates;
import io.gatehouse.proxy.tls.TestCertificates.Issued;
import io.gatehouse.proxy.tls.TestCertificates.KeyFormat;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * The proxy in this JVM with an HTTP listener (h2c prior knowledge) and an HTTPS listener (h2 by
 * ALPN, certificate for {@code grpc.test}) on 127.0.0.1, both routing to a {@link GrpcBackend} over
 * an h2c cluster:
 * <ul>
 * <li>{@code /gh.Test/} to the backend;
 * <li>{@code /gh.Timed/} to the backend with a request timeout ({@link #ROUTE_TIMEOUT});
 * <li>{@code /gh.Down/} to a cluster whose only endpoint refuses connections;
 * <li>no route for anything else.
 * </ul>
 */
final class GrpcFixture implements AutoCloseable {
  static final Duration ROUTE_TIMEOUT = Duration.ofMillis(800);

  final GrpcBackend backend;
  final GatewayProxy proxy;
  final int h2cPort;
  final int tlsPort;
  private final Issued certificate = TestCertificates.ec(KeyFormat.PKCS8, "grpc.test");
  private final List<ManagedChannel> channels = new ArrayList<>();

  GrpcFixture() {
    this(new GrpcBackend(), new ProxyOptions(0, 1, Duration.ofSeconds(2), Duration.ofSeconds(1)));
  }

  GrpcFixture(GrpcBackend backend, ProxyOptions options) {
    this(backend, options, null);
  }

  /** With {@code tls} (a BackendTLSPolicy) on the backend's cluster. */
  GrpcFixture(GrpcBackend backend, ProxyOptions options, @Nullable UpstreamTls backendTls) {
    this(backend, options, backendTls, backend.port());
  }

  /** As above with the backend cluster's endpoint on {@code backendPort} instead. */
  GrpcFixture(GrpcBackend backend, ProxyOptions options, @Nullable UpstreamTls backendTls,
      int backendPort) {
    this.backend = backend;
    proxy = GatewayProxy.start(options);
    h2cPort = freePort();
    tlsPort = freePort();
    Cluster grpc = new Cluster("grpc", List.of(new Endpoint("127.0.0.1", backendPort, 1)),
        UpstreamProtocol.H2C, backendTls);
    Cluster down = new Cluster("down", List.of(new Endpoint("127.0.0.1", freePort(), 1)),
        UpstreamProtocol.H2C);
    VirtualHost vhost = new VirtualHost(List.of("*"), List.of(
        route("timed", "/gh.Timed/", "grpc", new Timeouts(ROUTE_TIMEOUT, null)),
        route("down", "/gh.Down/", "down", Timeouts.NONE),
        route("test", "/gh.Test/", "grpc", Timeouts.NONE)));
    HttpListener h2c = new HttpListener("ns/grpc/h2c", "127.0.0.1", h2cPort, List.of(vhost));
    HttpsListener tls = new HttpsListener("ns/grpc/tls", "127.0.0.1", tlsPort, List.of(vhost),
        List.of(certificate.serve("grpc.test")));
    List<BindFailure> failures = proxy.apply(1, List.of(new GatewayConfig(
        new GatewayRef("ns", "grpc"), 1, List.of(h2c, tls), Map.of("grpc", grpc, "down", down))));
    if (!failures.isEmpty()) {
      throw new IllegalStateException("bind failed: " + failures);
    }
  }

  private static Route route(String id, String prefix, String cluster, Timeouts timeouts) {
    return new Route(id, RouteMatch.of(new PathMatch.Prefix(prefix)), List.of(),
        new Action.Forward(List.of(new WeightedCluster(cluster, 1)), 0), timeouts);
  }

  /** A channel through the proxy over h2c prior knowledge. */
  ManagedChannel h2c() {
    return h2c(b -> b);
  }

  ManagedChannel h2c(UnaryOperator<NettyChannelBuilder> options) {
    return keep(options.apply(NettyChannelBuilder.forAddress("127.0.0.1", h2cPort).usePlaintext())
        .build());
  }

  /** A channel through the proxy over TLS, h2 negotiated by ALPN. */
  ManagedChannel tls() {
    try {
      return keep(NettyChannelBuilder.forAddress("127.0.0.1", tlsPort)
          .sslContext(GrpcSslContexts.forClient().trustManager(certificate.certificate()).build())
          .overrideAuthority("grpc.test").build());
    } catch (javax.net.ssl.SSLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A channel straight to the backend, bypassing the proxy. */
  ManagedChannel direct() {
    return keep(NettyChannelBuilder.forAddress("127.0.0.1", backend.port()).usePlaintext()
        .build());
  }

  private ManagedChannel keep(ManagedChannel c) {
    channels.add(c);
    return c;
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws InterruptedException {
    for (ManagedChannel c : channels) {
      c.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    proxy.close();
    backend.close();
  }
}
