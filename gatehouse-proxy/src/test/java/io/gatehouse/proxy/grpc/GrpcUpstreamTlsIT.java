package io.gatehouse.proxy.grpc;

import static io.gatehouse.proxy.grpc.GrpcMethods.text;
import static io.gatehouse.proxy.grpc.GrpcMethods.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.gatehouse.model.UpstreamTls;
import io.gatehouse.proxy.BackendCertificates;
import io.gatehouse.proxy.ProxyOptions;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.io.IOException;
import java.net.InetAddress;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A gRPC backend behind a BackendTLSPolicy: the proxy reaches it over TLS with ALPN h2 (the
 * backend's certificate verified against the policy's CA and hostname), and never in cleartext or
 * over HTTP/1.1.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GrpcUpstreamTlsIT {
  private static final ProxyOptions ONE_LOOP = new ProxyOptions(0, 1, Duration.ofSeconds(2),
      Duration.ofSeconds(1));
  private final BackendCertificates pki = new BackendCertificates("grpc-ca");
  private final BackendCertificates.Pair server = pki.server(List.of("backend.test"), List.of());

  private UnaryOperator<NettyServerBuilder> tlsServer() {
    return b -> {
      try {
        return b.sslContext(GrpcSslContexts.forServer(
            new ByteArrayInputStream(server.certificatePem().getBytes(StandardCharsets.US_ASCII)),
            new ByteArrayInputStream(server.keyPem().getBytes(StandardCharsets.US_ASCII)))
            .build());
      } catch (SSLException e) {
        throw new IllegalStateException(e);
      }
    };
  }

  private UpstreamTls policy(String hostname, String caPem) {
    return new UpstreamTls(hostname, List.of(caPem), false, List.of(), null, "test/policy");
  }

  @Test
  void callsReachATlsBackendOverH2() throws Exception {
    try (GrpcFixture fx = new GrpcFixture(new GrpcBackend(0, tlsServer()), ONE_LOOP,
        policy("backend.test", pki.ca.certificatePem()))) {
      for (ManagedChannel channel : List.of(fx.h2c(), fx.tls())) {
        assertThat(text(ClientCalls.blockingUnaryCall(channel,
            GrpcMethods.unary(GrpcMethods.TEST), CallOptions.DEFAULT, utf8("echo:over tls"))))
            .isEqualTo("over tls");
        Iterator<byte[]> it = ClientCalls.blockingServerStreamingCall(channel,
            GrpcMethods.serverStream(GrpcMethods.TEST), CallOptions.DEFAULT, utf8("100:4096"));
        int n = 0;
        for (; it.hasNext(); n++) {
          assertThat(it.next()).hasSize(4096);
        }
        assertThat(n).isEqualTo(100);
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
            () -> ClientCalls.blockingUnaryCall(channel, GrpcMethods.unary(GrpcMethods.TEST),
                CallOptions.DEFAULT, utf8("fail:5:not here")));
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(e.getTrailers().get(GrpcBackend.CUSTOM)).isEqualTo("custom value");
      }
      assertThat(fx.backend.connections.get()).isEqualTo(1); // one multiplexed TLS connection
    }
  }

  /** A certificate the policy does not trust, or a name it does not match: UNAVAILABLE. */
  @Test
  void anUntrustedBackendIsUnavailable() throws Exception {
    BackendCertificates other = new BackendCertificates("other-ca");
    for (UpstreamTls tls : List.of(policy("backend.test", other.ca.certificatePem()),
        policy("elsewhere.test", pki.ca.certificatePem()))) {
      try (GrpcFixture fx = new GrpcFixture(new GrpcBackend(0, tlsServer()), ONE_LOOP, tls)) {
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
            () -> ClientCalls.blockingUnaryCall(fx.h2c(), GrpcMethods.unary(GrpcMethods.TEST),
                CallOptions.DEFAULT, utf8("echo:x")));
        assertThat(e.getStatus().getCode()).as(tls.serverName()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(fx.backend.connections.get()).isZero();
      }
    }
  }

  /**
   * A TLS backend that selects no ALPN protocol (an HTTP/1.1-only server): the proxy closes the
   * connection at once and the call is UNAVAILABLE, without waiting for a timeout.
   */
  @Test
  void aTlsBackendThatDoesNotSelectH2IsUnavailable() throws Exception {
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    keys.setKeyEntry("server", server.keys().getPrivate(), new char[0],
        new Certificate[]{server.certificate()});
    KeyManagerFactory kmf = KeyManagerFactory
        .getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, new char[0]);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), null, null);
    AtomicInteger accepted = new AtomicInteger();
    try (SSLServerSocket listener = (SSLServerSocket) ctx
        .getServerSocketFactory().createServerSocket(0, 8,
            InetAddress.getLoopbackAddress())) {
      Thread acceptor = new Thread(() -> {
        while (!listener.isClosed()) {
          try (SSLSocket s = (SSLSocket) listener.accept()) {
            accepted.incrementAndGet();
            s.setSoTimeout(5000);
            s.startHandshake();
            s.getInputStream().readAllBytes(); // until the proxy closes
          } catch (IOException e) {
            // the next connection, or the listener closed
          }
        }
      }, "no-alpn-backend");
      acceptor.setDaemon(true);
      acceptor.start();
      GrpcBackend unused = new GrpcBackend(); // the fixture's backend; the route points elsewhere
      try (GrpcFixture fx = new GrpcFixture(unused, ONE_LOOP,
          policy("backend.test", pki.ca.certificatePem()), listener.getLocalPort())) {
        long start = System.nanoTime();
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
            () -> ClientCalls.blockingUnaryCall(fx.h2c(), GrpcMethods.unary(GrpcMethods.TEST),
                CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), utf8("echo:x")));
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(5000);
        assertThat(accepted.get()).as("the proxy connected to the backend").isPositive();
      }
    }
  }

  /** A cleartext backend behind a policy: the handshake fails, nothing is sent in cleartext. */
  @Test
  void aCleartextBackendIsNeverSpokenToInCleartext() throws Exception {
    try (GrpcFixture fx = new GrpcFixture(new GrpcBackend(), ONE_LOOP,
        policy("backend.test", pki.ca.certificatePem()))) {
      StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
          () -> ClientCalls.blockingUnaryCall(fx.h2c(), GrpcMethods.unary(GrpcMethods.TEST),
              CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), utf8("echo:x")));
      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    }
  }
}
