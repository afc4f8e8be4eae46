package io.gatehouse.conformance;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One WebSocket conversation on a fresh connection (README {@code websocket}, HARNESS.md §7): the
 * RFC 6455 handshake by Netty's {@link WebSocketClientHandshaker} with the case's {@code Origin}
 * (and subprotocol when not empty), then each step sends a text or binary message and waits for the
 * echoed one. The socket goes to the Gateway's address with the runner's port offset; the
 * {@code Host} comes from the URL, as Go's client sends it.
 */
final class WebSocketExchange {
  private static final EventLoopGroup GROUP = new MultiThreadIoEventLoopGroup(1,
      new DefaultThreadFactory("conformance-ws", true), NioIoHandler.newFactory());
  private static final int MAX_FRAME = 1 << 20;

  /** One step: send {@code text} or {@code binary}, expect the given answer. */
  record Step(String sendText, byte[] sendBinary, String expectText, byte[] expectBinary) {
  }

  private WebSocketExchange() {
  }

  /**
   * Dials {@code to}, handshakes for {@code url} and runs {@code steps}.
   *
   * @return null when every step got its echo, else what went wrong
   */
  static String run(InetSocketAddress to, URI url, String origin, String subprotocol,
      List<Step> steps, Duration timeout) throws IOException {
    DefaultHttpHeaders headers = new DefaultHttpHeaders();
    headers.set(HttpHeaderNames.ORIGIN, origin);
    WebSocketClientHandshaker handshaker = WebSocketClientHandshakerFactory.newHandshaker(url,
        WebSocketVersion.V13, subprotocol.isEmpty() ? null : subprotocol, false, headers,
        MAX_FRAME);
    CompletableFuture<Void> open = new CompletableFuture<>();
    LinkedBlockingQueue<Object> received = new LinkedBlockingQueue<>();
    Channel ch = new Bootstrap().group(GROUP).channel(NioSocketChannel.class)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) timeout.toMillis())
        .handler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel c) {
            c.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(MAX_FRAME),
                new Receiver(handshaker, open, received));
          }
        })
        .connect(to).awaitUninterruptibly().channel();
    try {
      if (!ch.isActive()) {
        throw new IOException("cannot connect to " + to);
      }
      handshaker.handshake(ch);
      await(open, timeout);
      for (Step step : steps) {
        ch.writeAndFlush(step.sendText() != null
            ? new TextWebSocketFrame(step.sendText())
            : new BinaryWebSocketFrame(Unpooled.wrappedBuffer(step.sendBinary())));
        Object got = received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        Object want = step.expectText() != null ? step.expectText() : step.expectBinary();
        if (got == null) {
          return "no message within " + timeout.toMillis() + " ms, expected " + show(want);
        }
        if (!(got instanceof String s
            ? s.equals(want)
            : want instanceof byte[] b && Arrays.equals((byte[]) got, b))) {
          return "expected " + show(want) + ", got " + show(got);
        }
      }
      ch.writeAndFlush(new CloseWebSocketFrame());
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } finally {
      ch.close();
    }
  }

  private static void await(CompletableFuture<Void> open, Duration timeout) throws IOException,
      InterruptedException {
    try {
      open.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IOException("WebSocket handshake failed: " + e.getCause().getMessage(),
          e.getCause());
    } catch (TimeoutException e) {
      throw new IOException("no WebSocket handshake within " + timeout.toMillis() + " ms");
    }
  }

  private static String show(Object o) {
    return o instanceof byte[] b ? "binary " + Arrays.toString(b) : "text \"" + o + "\"";
  }

  /**
   * Finishes the handshake on the 101 (aggregated), then queues each text message as a String and
   * each binary one as a byte[]; a close, an error or the end of the connection fails a handshake
   * still waiting. Frames are released by {@link SimpleChannelInboundHandler}.
   */
  private static final class Receiver extends SimpleChannelInboundHandler<Object> {
    private final WebSocketClientHandshaker handshaker;
    private final CompletableFuture<Void> open;
    private final LinkedBlockingQueue<Object> received;

    Receiver(WebSocketClientHandshaker handshaker, CompletableFuture<Void> open,
        LinkedBlockingQueue<Object> received) {
      this.handshaker = handshaker;
      this.open = open;
      this.received = received;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
      if (!handshaker.isHandshakeComplete() && msg instanceof FullHttpResponse r) {
        try {
          handshaker.finishHandshake(ctx.channel(), r);
          open.complete(null);
        } catch (RuntimeException e) {
          open.completeExceptionally(e);
          ctx.close();
        }
      } else if (msg instanceof TextWebSocketFrame t) {
        received.add(t.text());
      } else if (msg instanceof BinaryWebSocketFrame b) {
        received.add(ByteBufUtil.getBytes(b.content()));
      } else if (msg instanceof CloseWebSocketFrame) {
        ctx.close();
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      open.completeExceptionally(new IOException("connection closed"));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      open.completeExceptionally(cause);
      ctx.close();
    }
  }
}
