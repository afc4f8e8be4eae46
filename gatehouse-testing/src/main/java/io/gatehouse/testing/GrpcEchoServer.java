package io.gatehouse.testing;

import static java.util.Objects.requireNonNull;

import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptors;
import io.grpc.TlsServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.ProtoReflectionService;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One emulated gRPC echo pod port (HARNESS.md §3.2, grpc-infra-backend-*): the service
 * {@code gateway_api_conformance.echo_basic.grpcecho.GrpcEcho} over h2c, or over TLS with ALPN h2
 * when the options carry {@link EchoTls}, plus server reflection (v1 and v1alpha, as Go's
 * {@code reflection.Register} offers both). {@code Echo} and {@code EchoTwo} answer what the server
 * saw ({@link GrpcEchoService}); {@code EchoThree} ends with UNIMPLEMENTED.
 *
 * <p>
 * Runs on grpc-java's Netty transport from {@code grpc-netty-shaded}, whose relocated Netty never
 * meets the Netty of the rest of this module. Calls run on the transport threads (the service never
 * blocks). Each call is kept in {@link #requests()} as a request log entry whose URI is the full
 * method name, like the HTTP echo's pod log. {@link EchoOptions#h2cOnly()} is ignored: gRPC is
 * HTTP/2 only. Thread-safe; {@code start} and {@code close} block until bound or stopped.
 */
public final class GrpcEchoServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(GrpcEchoServer.class);
  private static final long CLOSE_TIMEOUT_SECONDS = 5;

  private final EchoOptions options;
  private final Server server;
  private final RequestLog requestLog;

  private GrpcEchoServer(EchoOptions options, Server server, RequestLog requestLog) {
    this.options = options;
    this.server = server;
    this.requestLog = requestLog;
  }

  /**
   * Binds a gRPC echo port; the service name reported in {@code context.service_name} is empty.
   *
   * @throws UncheckedIOException when the address cannot be bound
   */
  public static GrpcEchoServer start(EchoOptions options) {
    return start(options, "");
  }

  /**
   * Binds a gRPC echo port.
   *
   * @param serviceName the {@code SERVICE_NAME} env of the pod ({@code context.service_name})
   * @throws UncheckedIOException when the address cannot be bound
   */
  public static GrpcEchoServer start(EchoOptions options, String serviceName) {
    requireNonNull(options, "options");
    requireNonNull(serviceName, "serviceName");
    RequestLog requestLog = new RequestLog();
    GrpcEchoService service = new GrpcEchoService(options.podName(), options.namespace(),
        serviceName, requestLog, Clock.systemUTC());
    Server server = NettyServerBuilder
        .forAddress(new InetSocketAddress(options.bindAddress(), options.port()),
            credentials(options.tls()))
        .directExecutor()
        .addService(ServerInterceptors.intercept(service, new GrpcCallInfoInterceptor()))
        .addService(ProtoReflectionServiceV1.newInstance())
        .addService(legacyReflection())
        .build();
    try {
      server.start();
    } catch (IOException e) {
      throw new UncheckedIOException(new IOException("Cannot bind gRPC echo server to "
          + options.bindAddress() + ":" + options.port(), e));
    }
    GrpcEchoServer started = new GrpcEchoServer(options, server, requestLog);
    log.info("gRPC echo pod {}/{} listening on {} ({})", options.namespace(), options.podName(),
        started.address(), options.tls() != null ? "TLS" : "h2c");
    return started;
  }

  @SuppressWarnings("deprecation") // v1alpha: still what many clients (grpcurl, Go) try first
  private static io.grpc.BindableService legacyReflection() {
    return ProtoReflectionService.newInstance();
  }

  /**
   * Plaintext, or TLS 1.2/1.3 with the serving chain; with client CAs a client certificate is
   * requested but optional (as the HTTP echo does).
   */
  private static ServerCredentials credentials(EchoTls tls) {
    if (tls == null) {
      return InsecureServerCredentials.create();
    }
    try {
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(null, null);
      char[] password = new char[0];
      keys.setKeyEntry("echo", tls.key(), password, tls.chain().toArray(new X509Certificate[0]));
      KeyManagerFactory kmf = KeyManagerFactory
          .getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keys, password);
      TlsServerCredentials.Builder b = TlsServerCredentials.newBuilder()
          .keyManager(kmf.getKeyManagers());
      if (!tls.clientCas().isEmpty()) {
        KeyStore cas = KeyStore.getInstance("PKCS12");
        cas.load(null, null);
        List<X509Certificate> list = tls.clientCas();
        for (int i = 0; i < list.size(); i++) {
          cas.setCertificateEntry("ca" + i, list.get(i));
        }
        TrustManagerFactory tmf = TrustManagerFactory
            .getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(cas);
        b.trustManager(tmf.getTrustManagers())
            .clientAuth(TlsServerCredentials.ClientAuth.OPTIONAL);
      }
      return b.build();
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalArgumentException("Cannot build the gRPC echo TLS credentials: "
          + e.getMessage(), e);
    }
  }

  /** The bound address; with port 0 in the options, the ephemeral port chosen. */
  public InetSocketAddress address() {
    return (InetSocketAddress) server.getListenSockets().get(0);
  }

  public EchoOptions options() {
    return options;
  }

  /** A snapshot of the call log, oldest first (method {@code POST}, URI = full method name). */
  public List<EchoRequestLog> requests() {
    return requestLog.snapshot();
  }

  /** Stops listening and cancels calls still open. */
  @Override
  public void close() {
    server.shutdownNow();
    try {
      server.awaitTermination(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
