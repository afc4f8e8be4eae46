package io.gatehouse.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.model.Action;
import io.gatehouse.model.Cluster;
import io.gatehouse.model.Endpoint;
import io.gatehouse.model.GatewayConfig;
import io.gatehouse.model.GatewayRef;
import io.gatehouse.model.HttpsListener;
import io.gatehouse.model.PathMatch;
import io.gatehouse.model.Route;
import io.gatehouse.model.RouteMatch;
import io.gatehouse.model.UpstreamProtocol;
import io.gatehouse.model.VirtualHost;
import io.gatehouse.model.WeightedCluster;
import io.gatehouse.proxy.tls.ServerTlsOptions;
import io.gatehouse.proxy.tls.TestCertificates;
import io.gatehouse.proxy.tls.TestCertificates.Issued;
import io.gatehouse.proxy.tls.TestCertificates.KeyFormat;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.ReferenceCountedOpenSslEngine;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.internal.tcnative.SSL;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link ServerTlsOptions#sessionResumption} on loopback, for both server TLS providers and both
 * TLS versions: a BoringSSL client (which caches sessions per host and port) connects twice to an
 * HTTPS listener, completing a request each time so that TLS 1.3 tickets arrive; its second
 * handshake must be resumed with the default settings and must be a full handshake with resumption
 * off. Whether a handshake resumed is what BoringSSL itself reports for the client's connection
 * ({@code SSL_session_reused}, through netty-tcnative).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TlsSessionResumptionIT {
  private final Issued server = TestCertificates.ec(KeyFormat.PKCS8, "example.org");
  private final EventLoopGroup clients = new MultiThreadIoEventLoopGroup(1,
      NioIoHandler.newFactory());
  private TestUpstream upstream;

  @BeforeAll
  void start() {
    assertThat(OpenSsl.isAvailable()).as("BoringSSL loads on this platform").isTrue();
    upstream = new TestUpstream("A");
  }

  @AfterAll
  void stop() {
    upstream.close();
    clients.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  static Stream<Arguments> cases() {
    return Stream.of(SslProvider.OPENSSL, SslProvider.JDK).flatMap(provider -> Stream
        .of("TLSv1.3", "TLSv1.2").flatMap(version -> Stream.of(true, false)
            .map(resume -> Arguments.of(provider, version, resume))));
  }

  @ParameterizedTest(name = "{0} server, {1}, sessionResumption {2}")
  @MethodSource("cases")
  void secondHandshakeIsResumedOnlyWhenResumptionIsOn(SslProvider provider, String version,
      boolean resume) throws Exception {
    int port = freePort();
    ProxyOptions options = new ProxyOptions(0, 1, Duration.ofSeconds(2), Duration.ofSeconds(1))
        .withTls(new ServerTlsOptions(resume));
    try (GatewayProxy proxy = GatewayProxy.start(options, Transport.of(true), provider)) {
      assertThat(proxy.apply(1, List.of(gateway(port)))).isEmpty();
      SslContext client = SslContextBuilder.forClient().sslProvider(SslProvider.OPENSSL)
          .trustManager(server.certificate()).protocols(version).build();
      Handshake first = exchange(client, port);
      Handshake second = exchange(client, port);
      assertThat(first.protocol()).isEqualTo(version);
      assertThat(first.reused()).as("first handshake").isFalse();
      assertThat(second.protocol()).isEqualTo(version);
      assertThat(second.reused()).as("second handshake resumed").isEqualTo(resume);
    }
  }

  private record Handshake(String protocol, boolean reused) {
  }

  /**
   * One connection: handshake, then {@code GET /} with {@code Connection: close}, read until the
   * proxy closes (which also delivers TLS 1.3 session tickets to the client).
   */
  private Handshake exchange(SslContext client, int port) throws Exception {
    CompletableFuture<Handshake> handshake = new CompletableFuture<>();
    StringBuilder response = new StringBuilder();
    Channel ch = new Bootstrap().group(clients).channel(NioSocketChannel.class)
        .handler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel c) {
            SslHandler ssl = client.newHandler(c.alloc(), "example.org", port);
            ssl.handshakeFuture().addListener(done -> {
              if (done.isSuccess()) {
                var engine = (ReferenceCountedOpenSslEngine) ssl.engine();
                handshake.complete(new Handshake(engine.getSession().getProtocol(),
                    SSL.isSessionReused(engine.sslPointer())));
              } else {
                handshake.completeExceptionally(done.cause());
              }
            });
            c.pipeline().addLast(ssl, new ChannelInboundHandlerAdapter() {
              @Override
              public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ByteBuf buf = (ByteBuf) msg;
                try {
                  response.append(buf.toString(StandardCharsets.ISO_8859_1));
                } finally {
                  buf.release();
                }
              }
            });
          }
        }).connect("127.0.0.2", port).sync().channel();
    Handshake result = handshake.get(10, TimeUnit.SECONDS);
    ch.writeAndFlush(Unpooled.copiedBuffer(
        "GET / HTTP/1.1\r\nHost: example.org\r\nConnection: close\r\n\r\n",
        StandardCharsets.US_ASCII)).sync();
    assertThat(ch.closeFuture().await(10, TimeUnit.SECONDS)).as("proxy closes").isTrue();
    assertThat(response.toString()).startsWith("HTTP/1.1 200").endsWith("A");
    return result;
  }

  private GatewayConfig gateway(int port) {
    VirtualHost all = new VirtualHost(List.of("*"), List.of(new Route("r",
        RouteMatch.of(new PathMatch.Prefix("/")), List.of(),
        new Action.Forward(List.of(new WeightedCluster("A", 1)), 0))));
    return new GatewayConfig(new GatewayRef("ns", "g"), 1,
        List.of(new HttpsListener("ns/https/" + port, "127.0.0.2", port, List.of(all),
            List.of(server.serve("example.org")))),
        Map.of("A", new Cluster("A", List.of(new Endpoint("127.0.0.1", upstream.port(), 1)),
            UpstreamProtocol.HTTP1)));
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
