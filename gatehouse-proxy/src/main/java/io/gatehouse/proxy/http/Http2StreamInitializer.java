package io.gatehouse.proxy.http;

import io.gatehouse.model.HeaderPolicy;
import io.gatehouse.model.PathPolicy;
import io.gatehouse.proxy.flow.ReadDemandHandler;
import io.gatehouse.proxy.route.RouteTable;
import io.gatehouse.proxy.upstream.UpstreamPool;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import java.util.function.Supplier;

/**
 * Assembles the pipeline of each stream a client opens on a downstream HTTP/2 connection:
 * {@code StreamStartGate → StreamIdleHandler → Http2RequestValidator →
 * Http2StreamFrameToHttpObjectCodec → Http2RequestAdapter → ReadDemandHandler → DownstreamHandler}.
 * The gate holds the stream's first frames until the connection's read burst is over, so a stream
 * reset in the same burst (rapid reset) is never routed or sent upstream. From the adapter on, a
 * stream is a one-request HTTP/1.1 connection: the same routing, filters, timeouts, redirects and
 * forwarding serve it.
 *
 * <p>
 * The stream channel's auto-read is off, as on an HTTP/1.1 connection: a DATA frame is read only
 * when the previous one was written upstream, and Netty returns its bytes to the client's flow
 * control window (WINDOW_UPDATE) only once it was read, so a client can have at most the stream
 * window in flight per stream.
 */
final class Http2StreamInitializer extends ChannelInitializer<Channel> {
  private final Supplier<RouteTable> table;
  private final UpstreamPool pool;
  private final ListenerOrigin origin;
  private final PathPolicy pathPolicy;
  private final HeaderPolicy headerPolicy;

  private final EdgeContext edge;

  Http2StreamInitializer(Supplier<RouteTable> table, UpstreamPool pool, ListenerOrigin origin,
      PathPolicy pathPolicy, HeaderPolicy headerPolicy, EdgeContext edge) {
    this.edge = edge;
    this.table = table;
    this.pool = pool;
    this.origin = origin;
    this.pathPolicy = pathPolicy;
    this.headerPolicy = headerPolicy;
  }

  @Override
  protected void initChannel(Channel stream) {
    stream.config().setAutoRead(false);
    stream.pipeline().addLast(new StreamStartGate(),
        new StreamIdleHandler(edge.timeouts().streamIdle()),
        new Http2RequestValidator(), new Http2StreamFrameToHttpObjectCodec(true),
        new Http2RequestAdapter(), new ReadDemandHandler(),
        new DownstreamHandler(table, pool, origin, pathPolicy, headerPolicy, edge));
  }
}
