package io.gatehouse.proxy;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * A cleartext HTTP/2 client with prior knowledge on one connection, a stream per request, built
 * from Netty's frame codec (the JDK client cannot speak h2c without an upgrade). Collects each
 * response whole: headers, body, trailers, or the stream's reset code.
 */
final class H2TestClient implements AutoCloseable {

  /** A response, or {@code resetCode >= 0} and no status when the server reset the stream. */
  record Response(int status, @Nullable Http2Headers headers, byte[] body,
      @Nullable Http2Headers trailers, long resetCode) {
    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    @Nullable
    String header(String name) {
      CharSequence v = headers == null ? null : headers.get(name);
      return v == null ? null : v.toString();
    }
  }

  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1,
      NioIoHandler.newFactory());
  private final Channel channel;
  /** The error code of a GOAWAY received, or -1. */
  final AtomicLong goAway = new AtomicLong(-1);

  /** The scheme of requests: {@code https} over TLS. */
  private final String scheme;

  H2TestClient(String host, int port) {
    this(host, port, null, null);
  }

  /**
   * Over TLS when {@code tls} is not null: sends {@code serverName} as SNI (none when null), offers
   * ALPN as {@code tls} is configured and waits for the handshake to complete.
   */
  H2TestClient(String host, int port, @Nullable SslContext tls, @Nullable String serverName) {
    scheme = tls == null ? "http" : "https";
    try {
      channel = new Bootstrap().group(group).channel(NioSocketChannel.class)
          .handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
              if (tls != null) {
                ch.pipeline().addLast(serverName == null
                    ? tls.newHandler(ch.alloc())
                    : tls.newHandler(ch.alloc(), serverName, port));
              }
              ch.pipeline().addLast(Http2FrameCodecBuilder.forClient().build(),
                  new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()),
                  new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                      if (msg instanceof Http2GoAwayFrame g) {
                        goAway.set(g.errorCode());
                      }
                      ReferenceCountUtil.release(msg);
                    }
                  });
            }
          }).connect(new InetSocketAddress(host, port)).syncUninterruptibly().channel();
      SslHandler ssl = channel.pipeline().get(SslHandler.class);
      if (ssl != null) {
        ssl.handshakeFuture().syncUninterruptibly();
      }
    } catch (RuntimeException e) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw e;
    }
  }

  Channel channel() {
    return channel;
  }

  /** The protocol ALPN chose ({@code null} on cleartext or without ALPN). */
  @Nullable
  String applicationProtocol() {
    SslHandler ssl = channel.pipeline().get(SslHandler.class);
    return ssl == null ? null : ssl.applicationProtocol();
  }

  /** A GET of {@code path} with {@code :authority} {@code authority} and extra header pairs. */
  CompletableFuture<Response> get(String authority, String path, CharSequence... headerPairs) {
    return send(headers("GET", authority, path, headerPairs).scheme(scheme), null);
  }

  static Http2Headers headers(String method, String authority, String path,
      CharSequence... headerPairs) {
    Http2Headers h = new DefaultHttp2Headers().method(method).scheme("http").path(path)
        .authority(authority);
    for (int i = 0; i + 1 < headerPairs.length; i += 2) {
      h.add(headerPairs[i], headerPairs[i + 1]);
    }
    return h;
  }

  /** Sends a request on a new stream; a non-null body follows the headers in DATA frames. */
  CompletableFuture<Response> send(Http2Headers headers, byte @Nullable [] body) {
    CompletableFuture<Response> response = new CompletableFuture<>();
    new Http2StreamChannelBootstrap(channel).handler(new Collector(response)).open()
        .addListener(opened -> {
          if (!opened.isSuccess()) {
            response.completeExceptionally(opened.cause());
            return;
          }
          Http2StreamChannel stream = (Http2StreamChannel) opened.getNow();
          stream.write(new DefaultHttp2HeadersFrame(headers, body == null));
          if (body != null) {
            stream.write(new DefaultHttp2DataFrame(Unpooled.wrappedBuffer(body), true));
          }
          stream.flush();
        });
    return response;
  }

  @Override
  public void close() {
    channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }

  /** Last handler of a client stream channel; releases every frame it reads. */
  private static final class Collector extends ChannelInboundHandlerAdapter {
    private final CompletableFuture<Response> response;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private @Nullable Http2Headers headers;
    private @Nullable Http2Headers trailers;

    Collector(CompletableFuture<Response> response) {
      this.response = response;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      try {
        boolean end = false;
        if (msg instanceof Http2HeadersFrame h) {
          if (headers == null || headers.status().charAt(0) == '1') {
            headers = h.headers();
          } else {
            trailers = h.headers();
          }
          end = h.isEndStream();
        } else if (msg instanceof Http2DataFrame d) {
          body.writeBytes(ByteBufUtil.getBytes(d.content()));
          end = d.isEndStream();
        }
        if (end) {
          response.complete(new Response(Integer.parseInt(headers.status().toString()), headers,
              body.toByteArray(), trailers, -1));
        }
      } finally {
        ReferenceCountUtil.release(msg);
      }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof Http2ResetFrame reset) { // RST_STREAM comes as a user event
        response.complete(new Response(0, headers, body.toByteArray(), null, reset.errorCode()));
      }
      ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      response.completeExceptionally(new IllegalStateException("stream closed unanswered"));
    }
  }
}
