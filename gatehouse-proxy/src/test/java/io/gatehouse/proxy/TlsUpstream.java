package io.gatehouse.proxy;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * An HTTPS/1.1 upstream on 127.0.0.1 (ephemeral port) serving one certificate whatever the SNI; it
 * asks for (but does not require) a client certificate signed by {@code clientCa}. Every answer is
 * 200 with {@code x-sni} (the SNI the client sent, empty if none) and {@code x-client-cn} (the
 * client certificate's subject, empty if none). Counts TLS handshakes that completed and HTTP
 * requests that arrived (a request arriving in cleartext cannot be decoded and counts as neither).
 */
final class TlsUpstream implements AutoCloseable {
  private static final AttributeKey<String> SNI = AttributeKey.valueOf("test-sni");

  final AtomicInteger handshakes = new AtomicInteger();
  final AtomicInteger requests = new AtomicInteger();
  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1,
      NioIoHandler.newFactory());
  private final Channel server;

  TlsUpstream(BackendCertificates.Pair serving, X509Certificate clientCa) throws Exception {
    SslContext context = SslContextBuilder
        .forServer(serving.keys().getPrivate(), serving.certificate())
        .trustManager(clientCa)
        .clientAuth(ClientAuth.OPTIONAL)
        .build();
    this.server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            ch.pipeline().addLast(new SniHandler((String host) -> context) {
              @Override
              protected void replaceHandler(ChannelHandlerContext ctx, String hostname,
                  SslContext sslContext) throws Exception {
                ctx.channel().attr(SNI).set(hostname == null ? "" : hostname);
                super.replaceHandler(ctx, hostname, sslContext);
              }
            }, new HttpServerCodec(), new HttpServerKeepAliveHandler(),
                new HttpObjectAggregator(1 << 16), new Responder());
          }
        })
        .bind("127.0.0.1", 0).syncUninterruptibly().channel();
  }

  int port() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  @Override
  public void close() {
    server.close().syncUninterruptibly();
    group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
  }

  private final class Responder extends SimpleChannelInboundHandler<FullHttpRequest> {
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof io.netty.handler.ssl.SslHandshakeCompletionEvent e && e.isSuccess()) {
        handshakes.incrementAndGet();
      }
      ctx.fireUserEventTriggered(evt);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
      requests.incrementAndGet();
      String clientCn = "";
      SslHandler ssl = ctx.pipeline().get(SslHandler.class);
      try {
        if (ssl != null) {
          clientCn = ((X509Certificate) ssl.engine().getSession().getPeerCertificates()[0])
              .getSubjectX500Principal().getName();
        }
      } catch (SSLPeerUnverifiedException e) {
        clientCn = "";
      }
      String sni = ctx.channel().attr(SNI).get();
      FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
          HttpResponseStatus.OK, Unpooled.copiedBuffer("tls", StandardCharsets.UTF_8));
      res.headers().set(HttpHeaderNames.CONTENT_LENGTH, 3)
          .set("x-sni", sni == null ? "" : sni)
          .set("x-client-cn", clientCn);
      ctx.writeAndFlush(res).addListener((Future<Void> f) -> {
        if (!f.isSuccess()) {
          ctx.close();
        }
      });
    }
  }
}
