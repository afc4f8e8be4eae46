package io.gatehouse.proxy.http;

import io.gatehouse.proxy.route.HeaderEdits;
import io.gatehouse.proxy.upstream.UpstreamListener;
import io.gatehouse.proxy.upstream.UpstreamPool;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import org.jspecify.annotations.Nullable;

/**
 * One request forwarded to one upstream endpoint, relaying both bodies as they stream.
 *
 * <p>
 * Lifecycle, all on the downstream connection's event loop:
 * <ol>
 * <li>take an idle pooled connection, or connect (failure: 503);
 * <li>write the request head; when a <em>reused</em> connection fails before the head is written,
 * retry once on a fresh connection (the server closed it while idle);
 * <li>relay each request body part upstream, reading the next part from the client only when the
 * previous write completed; likewise each response part downstream, reading the next from the
 * upstream only when the client write completed;
 * <li>on the last response part, return the connection to the pool when both sides agreed on
 * keep-alive and the whole request was written, else close it.
 * </ol>
 * An upstream reset or malformed response gives 502 while nothing was sent to the client, and
 * closes the client connection after that.
 *
 * <p>
 * Ownership: request parts passed to {@link #onRequestContent} and response parts passed to
 * {@link #onUpstreamMessage} are written to the other channel (which releases them) or released
 * here.
 */
final class ForwardExchange implements UpstreamListener {
  private final DownstreamHandler downstream;
  private final HttpRequest request;
  private final HeaderEdits responseEdits;
  private final UpstreamPool pool;
  private final InetSocketAddress endpoint;
  private final boolean chunkableResponse;
  private @Nullable Channel upstream;
  private boolean reused;
  private boolean retried;
  private boolean headWritten;
  private boolean requestWritten;
  private boolean responseStarted;
  private boolean informational;
  private boolean upstreamKeepAlive;
  private boolean done;

  /**
   * @param chunkableResponse whether a response without framing may be re-framed as chunked (the
   * client speaks HTTP/1.1 and the request is not HEAD)
   */
  ForwardExchange(DownstreamHandler downstream, HttpRequest request, HeaderEdits responseEdits,
      UpstreamPool pool, InetSocketAddress endpoint, boolean chunkableResponse) {
    this.downstream = downstream;
    this.request = request;
    this.responseEdits = responseEdits;
    this.pool = pool;
    this.endpoint = endpoint;
    this.chunkableResponse = chunkableResponse;
  }

  void start() {
    Channel ch = pool.acquireIdle(endpoint, this);
    if (ch != null) {
      reused = true;
      writeHead(ch);
    } else {
      connect();
    }
  }

  private void connect() {
    pool.connect(downstream.eventLoop(), endpoint).addListener((ChannelFutureListener) f -> {
      if (done) {
        f.channel().close();
      } else if (!f.isSuccess()) {
        fail(503, "upstream connect error");
      } else {
        UpstreamPool.attach(f.channel(), this);
        writeHead(f.channel());
      }
    });
  }

  private void writeHead(Channel ch) {
    upstream = ch;
    ch.writeAndFlush(request).addListener((ChannelFutureListener) f -> {
      if (upstream != ch || done) {
        return;
      }
      if (f.isSuccess()) {
        headWritten = true;
        ch.read();
        downstream.readRequestBody();
      } else {
        ch.close(); // onUpstreamClosed retries or fails
      }
    });
  }

  /** A request body part from the client; ownership passes here. */
  void onRequestContent(HttpContent content) {
    Channel ch = upstream;
    if (done || ch == null) {
      content.release();
      return;
    }
    boolean last = content instanceof LastHttpContent;
    ch.writeAndFlush(content).addListener((ChannelFutureListener) f -> {
      if (!f.isSuccess()) {
        ch.close();
      } else if (last) {
        requestWritten = true;
      } else if (!done) {
        downstream.readRequestBody();
      }
    });
  }

  @Override
  public void onUpstreamMessage(HttpObject msg) {
    if (done) {
      ReferenceCountUtil.release(msg);
    } else if (msg.decoderResult().isFailure()) {
      ReferenceCountUtil.release(msg);
      upstreamBroken();
    } else if (msg instanceof HttpResponse r && !(msg instanceof HttpContent)) {
      onResponseHead(r);
    } else if (msg instanceof HttpContent c && !(msg instanceof HttpResponse)) {
      onResponseContent(c);
    } else {
      ReferenceCountUtil.release(msg);
      upstreamBroken();
    }
  }

  private void onResponseHead(HttpResponse r) {
    int code = r.status().code();
    if (code == 101) {
      upstreamBroken(); // we never forward Upgrade, so a switch is a protocol error
      return;
    }
    informational = code < 200;
    if (!informational) {
      upstreamKeepAlive = HttpUtil.isKeepAlive(r);
    }
    HopByHopHeaders.strip(r.headers());
    if (!informational) {
      responseEdits.applyTo(r.headers());
      boolean framed = HttpUtil.isContentLengthSet(r) || HttpUtil.isTransferEncodingChunked(r);
      if (!framed && chunkableResponse && code != 204 && code != 304) {
        HttpUtil.setTransferEncodingChunked(r, true); // keeps the client connection reusable
      }
      if (downstream.isDraining()) {
        r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      }
    }
    r.setProtocolVersion(HttpVersion.HTTP_1_1);
    responseStarted = true;
    relay(r);
  }

  private void onResponseContent(HttpContent c) {
    if (!(c instanceof LastHttpContent) || informational) {
      informational = false;
      relay(c);
      return;
    }
    done = true;
    downstream.write(c).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
    Channel ch = upstream;
    upstream = null;
    if (ch != null) {
      if (upstreamKeepAlive && requestWritten) {
        pool.release(endpoint, ch);
      } else {
        UpstreamPool.detach(ch);
        ch.close();
      }
    }
    downstream.exchangeFinished();
  }

  /** Writes a response part to the client and reads the next one once that write completed. */
  private void relay(HttpObject part) {
    Channel ch = upstream;
    ChannelFuture f = downstream.write(part);
    f.addListener((ChannelFutureListener) w -> {
      if (!w.isSuccess()) {
        abort();
      } else if (!done && upstream == ch && ch != null) {
        ch.read();
      }
    });
  }

  @Override
  public void onUpstreamClosed() {
    if (done) {
      return;
    }
    if (!headWritten && reused && !retried) {
      retried = true;
      reused = false;
      upstream = null;
      connect();
      return;
    }
    upstream = null;
    upstreamBroken();
  }

  /** Reset or malformed response: 502 while nothing reached the client, else close the client. */
  private void upstreamBroken() {
    if (responseStarted) {
      abort();
    } else {
      fail(502, "upstream reset or protocol error");
    }
  }

  private void fail(int status, String body) {
    done = true;
    closeUpstream();
    downstream.exchangeFailed(status, body);
  }

  private void abort() {
    if (!done) {
      done = true;
      closeUpstream();
      downstream.exchangeAborted();
    }
  }

  /**
   * The client connection closed or sent a broken body: stop and close the upstream connection.
   *
   * @return whether any part of the response was already sent to the client
   */
  boolean cancel() {
    done = true;
    closeUpstream();
    return responseStarted;
  }

  private void closeUpstream() {
    Channel ch = upstream;
    upstream = null;
    if (ch != null) {
      UpstreamPool.detach(ch);
      ch.close();
    }
  }

  static boolean chunkable(HttpRequest request) {
    return request.protocolVersion().equals(HttpVersion.HTTP_1_1)
        && !request.method().equals(HttpMethod.HEAD);
  }
}
