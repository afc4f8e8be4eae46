package io.gatehouse.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.model.SecretValue;
import io.gatehouse.model.UpstreamTls;
import io.gatehouse.model.UpstreamTls.SubjectAltName;
import io.gatehouse.proxy.tls.UpstreamTlsContext;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link UpstreamTlsContext} behaves the same on BoringSSL and on the JDK's TLS: SNI, trust, name
 * checks and the client certificate, each checked with a real handshake against {@link TlsUpstream}
 * on loopback.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UpstreamTlsProvidersIT {
  private static final String SPIFFE = "spiffe://abc.example.com/test-identity";

  private final BackendCertificates pki = new BackendCertificates("providers-ca");
  private final BackendCertificates otherPki = new BackendCertificates("providers-other-ca");
  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1,
      NioIoHandler.newFactory());
  private TlsUpstream upstream;

  @BeforeAll
  void start() throws Exception {
    assertThat(OpenSsl.isAvailable()).as("BoringSSL loads on this platform").isTrue();
    upstream = new TlsUpstream(pki.server(List.of("abc.example.com"), List.of(SPIFFE)),
        pki.ca.certificate());
  }

  @AfterAll
  void stop() {
    upstream.close();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  @ParameterizedTest
  @EnumSource(value = SslProvider.class, names = {"OPENSSL", "JDK"})
  void validSniAndClientCertificate(SslProvider provider) throws Exception {
    BackendCertificates.Pair client = pki.client("provider-client");
    Map<String, String> seen = exchange(provider, new UpstreamTls("abc.example.com",
        List.of(pki.ca.certificatePem()), false, List.of(),
        new UpstreamTls.ClientCertificate(client.certificatePem(),
            SecretValue.of(client.keyPem()), "test"),
        "test"));
    assertThat(seen).containsEntry("x-sni", "abc.example.com")
        .containsEntry("x-client-cn", "CN=provider-client");
  }

  @ParameterizedTest
  @EnumSource(value = SslProvider.class, names = {"OPENSSL", "JDK"})
  void refusesWrongCaWrongHostnameAndSanMismatch(SslProvider provider) throws Exception {
    assertThat(exchange(provider, tls("abc.example.com", otherPki.ca.certificatePem(),
        List.of()))).isNull();
    assertThat(exchange(provider, tls("mismatch.example.com", pki.ca.certificatePem(),
        List.of()))).isNull();
    assertThat(exchange(provider, tls("abc.example.com", pki.ca.certificatePem(),
        List.of(new SubjectAltName(SubjectAltName.Type.URI, "spiffe://other"))))).isNull();
    assertThat(exchange(provider, tls("x.example.com", pki.ca.certificatePem(),
        List.of(new SubjectAltName(SubjectAltName.Type.URI, SPIFFE))))).isNotNull();
  }

  private static UpstreamTls tls(String hostname, String ca, List<SubjectAltName> sans) {
    return new UpstreamTls(hostname, List.of(ca), false, sans, null, "test");
  }

  /** The response headers of one GET over a fresh connection, or null when the handshake fails. */
  private @Nullable Map<String, String> exchange(SslProvider provider, UpstreamTls tls)
      throws Exception {
    UpstreamTlsContext context = UpstreamTlsContext.of(tls, provider);
    InetSocketAddress endpoint = new InetSocketAddress("127.0.0.1", upstream.port());
    CompletableFuture<Map<String, String>> result = new CompletableFuture<>();
    // Kept here: a handshake that fails fast closes the channel, which empties its pipeline.
    AtomicReference<SslHandler> handler = new AtomicReference<>();
    Channel ch = new Bootstrap().group(group).channel(NioSocketChannel.class)
        .handler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel c) {
            handler.set(context.newHandler(c.alloc(), endpoint));
            c.pipeline().addLast(handler.get(), new HttpClientCodec(),
                new HttpObjectAggregator(1 << 16),
                new SimpleChannelInboundHandler<FullHttpResponse>() {
                  @Override
                  protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse r) {
                    result.complete(Map.of("x-sni", r.headers().get("x-sni", ""),
                        "x-client-cn", r.headers().get("x-client-cn", "")));
                  }

                  @Override
                  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                    result.complete(null);
                    ctx.close();
                  }
                });
          }
        }).connect(endpoint).syncUninterruptibly().channel();
    try {
      SslHandler ssl = handler.get();
      if (!ssl.handshakeFuture().await(10, TimeUnit.SECONDS) || !ssl.handshakeFuture()
          .isSuccess()) {
        return null;
      }
      ch.writeAndFlush(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/"));
      return result.get(10, TimeUnit.SECONDS);
    } finally {
      ch.close().syncUninterruptibly();
    }
  }
}
