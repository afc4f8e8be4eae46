package io.gatehouse.proxy.l4;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.AbstractSniHandler;
import io.netty.util.concurrent.Future;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Reads a TLS Passthrough connection's ClientHello for its SNI without terminating TLS (Netty's
 * {@link AbstractSniHandler} parses it; a ClientHello longer than the limit, a non-TLS first record
 * or no complete ClientHello within the timeout closes the connection). Sits first in the pipeline,
 * in front of {@link L4FrontendHandler}.
 *
 * <p>
 * When the name selects a route, fires {@link L4FrontendHandler.RouteSelected} and removes itself:
 * the bytes it buffered, the ClientHello included, then flow on unchanged, to be relayed first.
 * Without SNI or with a name no route serves the connection is closed: no TLS alert is ever sent,
 * since this proxy never speaks TLS on a passthrough connection.
 */
final class SniRouteHandler extends AbstractSniHandler<L4Target> {
  private final Supplier<L4Table> table;

  SniRouteHandler(Supplier<L4Table> table, int maxClientHello, long timeoutMillis) {
    super(maxClientHello, timeoutMillis);
    this.table = table;
  }

  @Override
  protected Future<L4Target> lookup(ChannelHandlerContext ctx, @Nullable String hostname) {
    return ctx.executor().newSucceededFuture(table.get().select(hostname));
  }

  @Override
  protected void onLookupComplete(ChannelHandlerContext ctx, @Nullable String hostname,
      Future<L4Target> future) {
    L4Target target = future.getNow();
    if (target == null) {
      ctx.close();
      return;
    }
    ctx.fireUserEventTriggered(new L4FrontendHandler.RouteSelected(target));
    ctx.pipeline().remove(this);
  }
}
