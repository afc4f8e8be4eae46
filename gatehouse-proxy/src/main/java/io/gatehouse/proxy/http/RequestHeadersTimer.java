package io.gatehouse.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The request-headers timeout of an HTTP/1.1 connection: from the first byte of a request until its
 * head is decoded. When it fires, the client gets 408 and the connection is closed (a slow-headers
 * attack, Slowloris, holds a connection for at most the timeout). Two handlers around the codec:
 * {@link #bytes()} in front of it arms the timer at the first byte after the previous response
 * ended (or the connection opened), {@link #messages()} after it disarms it at the decoded request
 * head and re-opens it when the response's last part is written. Between requests, the connection's
 * idle timeout applies instead.
 *
 * <p>
 * The 408 is written as bytes in front of the codec (no request was decoded, so the codec has no
 * request to answer). When the codec leaves the pipeline (HTTP/2, a WebSocket tunnel) both handlers
 * remove themselves at the next byte. Confined to the connection's event loop.
 */
final class RequestHeadersTimer {
  private static final byte[] TIMEOUT_RESPONSE = ("HTTP/1.1 408 Request Timeout\r\n"
      + "content-type: text/plain; charset=utf-8\r\ncontent-length: 16\r\n"
      + "connection: close\r\n\r\nrequest timeout\n").getBytes(StandardCharsets.US_ASCII);

  private final Duration timeout;
  private final Bytes bytes = new Bytes();
  private final Messages messages = new Messages();
  /** Waiting for the first byte of a request head. */
  private boolean awaitingHead = true;
  /** Request heads decoded whose response has not ended (pipelining). */
  private int inFlight;
  /**
   * The pending timer task, if any. It is not cancelled when a head completes: it stays scheduled
   * for the connection and, when it runs, either finds the timeout disarmed, or re-arms itself for
   * the current request's deadline, or expires it. So a request costs no timer task of its own.
   */
  private @Nullable ScheduledFuture<?> timer;
  /** Whether a request head is being timed, and until when ({@link System#nanoTime}). */
  private boolean armed;
  private long deadline;

  RequestHeadersTimer(Duration timeout) {
    this.timeout = timeout;
  }

  /** Goes right before the {@link HttpServerCodec}. */
  ChannelInboundHandlerAdapter bytes() {
    return bytes;
  }

  /** Goes right after the {@link HttpServerCodec}. */
  ChannelDuplexHandler messages() {
    return messages;
  }

  private void disarm() {
    armed = false;
  }

  private void arm(ChannelHandlerContext ctx) {
    armed = true;
    deadline = System.nanoTime() + timeout.toNanos();
    if (timer == null) {
      schedule(ctx, timeout.toNanos());
    }
  }

  private void schedule(ChannelHandlerContext ctx, long delayNanos) {
    timer = ctx.executor().schedule(() -> fire(ctx), delayNanos, TimeUnit.NANOSECONDS);
  }

  private void fire(ChannelHandlerContext ctx) {
    timer = null;
    if (!armed) {
      return;
    }
    long left = deadline - System.nanoTime();
    if (left > 0) {
      schedule(ctx, left); // armed again since this task was scheduled
      return;
    }
    armed = false;
    bytes.expired(ctx);
  }

  private void cancel() {
    armed = false;
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }

  private final class Bytes extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (ctx.pipeline().get(HttpServerCodec.class) == null) {
        cancel();
        ctx.pipeline().remove(this);
        if (ctx.pipeline().context(messages) != null) {
          ctx.pipeline().remove(messages);
        }
      } else if (awaitingHead && msg instanceof ByteBuf b && b.isReadable()) {
        awaitingHead = false;
        arm(ctx);
      }
      ctx.fireChannelRead(msg);
    }

    private void expired(ChannelHandlerContext ctx) {
      if (ctx.channel().isActive()) {
        ctx.writeAndFlush(Unpooled.wrappedBuffer(TIMEOUT_RESPONSE))
            .addListener(ChannelFutureListener.CLOSE);
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      cancel();
      ctx.fireChannelInactive();
    }
  }

  private final class Messages extends ChannelDuplexHandler {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof HttpRequest) {
        disarm();
        inFlight++;
        awaitingHead = false;
      }
      ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
      if (msg instanceof LastHttpContent && !(msg instanceof HttpResponse r
          && r.status().codeClass() == HttpStatusClass.INFORMATIONAL) && inFlight > 0) {
        awaitingHead = --inFlight == 0;
      }
      ctx.write(msg, promise);
    }
  }
}
