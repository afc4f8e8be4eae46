package io.gatehouse.conformance;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.IdentityCipherSuiteFilter;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One HTTP/2 request on a fresh connection: cleartext with prior knowledge
 * ({@code H2C_PRIOR_KNOWLEDGE}) or over TLS with ALPN {@code h2} ({@code H2}), as Go's client sends
 * it ({@code :authority} = the Host, {@code user-agent: Go-http-client/2.0}). Built on Netty's
 * HTTP/2 frame codec; the response is collected from the stream's frames.
 */
final class Http2Exchange {
  private static final EventLoopGroup GROUP = new MultiThreadIoEventLoopGroup(1,
      new DefaultThreadFactory("conformance-h2", true), NioIoHandler.newFactory());

  private Http2Exchange() {
  }

  static HttpExchange.Response send(InetSocketAddress target, HttpExchange.Tls tls, String method,
      String path, String authority, List<Map.Entry<String, String>> headers, Duration timeout)
      throws IOException {
    JdkSslContext ssl = tls == null
        ? null
        : new JdkSslContext(tls.context(), true, null,
            IdentityCipherSuiteFilter.INSTANCE, new ApplicationProtocolConfig(
                ApplicationProtocolConfig.Protocol.ALPN,
                ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                ApplicationProtocolNames.HTTP_2),
            ClientAuth.NONE, null, false);
    Channel ch = new Bootstrap().group(GROUP).channel(NioSocketChannel.class)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) timeout.toMillis())
        .handler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel c) {
            if (ssl != null) {
              c.pipeline().addLast(ssl.newHandler(c.alloc(), tls.serverName(), target.getPort()));
            }
            c.pipeline().addLast(Http2FrameCodecBuilder.forClient().build(),
                new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()));
          }
        })
        .connect(target).awaitUninterruptibly().channel();
    try {
      if (!ch.isActive()) {
        throw new IOException("cannot connect to " + target);
      }
      if (ssl != null) {
        handshake(ch, tls, timeout);
      }
      return exchange(ch, method, path, authority, tls == null ? "http" : "https", headers,
          timeout);
    } finally {
      ch.close();
    }
  }

  private static void handshake(Channel ch, HttpExchange.Tls tls, Duration timeout)
      throws IOException {
    SslHandler handler = ch.pipeline().get(SslHandler.class);
    var done = handler.handshakeFuture().awaitUninterruptibly(timeout.toMillis());
    if (!done || !handler.handshakeFuture().isSuccess()) {
      throw new IOException("TLS handshake failed", handler.handshakeFuture().cause());
    }
    tls.hostnameCheck().verify(handler.engine().getSession(), tls.serverName());
    if (!ApplicationProtocolNames.HTTP_2.equals(handler.applicationProtocol())) {
      throw new IOException("the server did not negotiate h2 (ALPN: "
          + handler.applicationProtocol() + ")");
    }
  }

  private static HttpExchange.Response exchange(Channel ch, String method, String path,
      String authority, String scheme, List<Map.Entry<String, String>> headers, Duration timeout)
      throws IOException {
    CompletableFuture<HttpExchange.Response> result = new CompletableFuture<>();
    Map<String, List<String>> responseHeaders = new LinkedHashMap<>();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    int[] status = {0};
    Http2StreamChannel stream = new Http2StreamChannelBootstrap(ch)
        .handler(new ChannelInboundHandlerAdapter() {
          @Override
          public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
              boolean end = false;
              if (msg instanceof Http2HeadersFrame h) {
                h.headers().forEach(e -> {
                  String name = e.getKey().toString().toLowerCase(Locale.ROOT);
                  if (name.equals(":status")) {
                    status[0] = Integer.parseInt(e.getValue().toString());
                  } else if (!name.startsWith(":")) {
                    responseHeaders.computeIfAbsent(name, k -> new ArrayList<>())
                        .add(e.getValue().toString());
                  }
                });
                end = h.isEndStream();
              } else if (msg instanceof Http2DataFrame d) {
                body.writeBytes(ByteBufUtil.getBytes(d.content()));
                end = d.isEndStream();
              }
              if (end) {
                result.complete(new HttpExchange.Response(status[0], "HTTP/2.0",
                    responseHeaders, body.toByteArray()));
              }
            } finally {
              ReferenceCountUtil.release(msg);
            }
          }

          @Override
          public void channelInactive(ChannelHandlerContext ctx) {
            result.completeExceptionally(new IOException("stream closed before the response"));
          }
        })
        .open().syncUninterruptibly().getNow();
    DefaultHttp2Headers h = new DefaultHttp2Headers();
    h.method(method).path(path).scheme(scheme).authority(authority);
    h.add("user-agent", "Go-http-client/2.0");
    for (Map.Entry<String, String> e : headers) {
      h.add(e.getKey().toLowerCase(Locale.ROOT), e.getValue());
    }
    h.add("accept-encoding", "gzip");
    stream.writeAndFlush(new DefaultHttp2HeadersFrame(h, true));
    try {
      HttpExchange.Response r = result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return HttpExchange.gunzip(r);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
    } catch (TimeoutException e) {
      throw new IOException("no HTTP/2 response within " + timeout.toMillis() + " ms");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }
}
