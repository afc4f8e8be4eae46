package io.gatehouse.proxy.l4;

import io.netty.channel.ChannelHandler;
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
 *
 * <p>
 * On a mixed port (TLSRouteModeMixed) a route may be a Terminate listener's: then the terminating
 * handlers are put after this one, {@link L4FrontendHandler.TerminateSelected} is fired, and the
 * buffered ClientHello flows into them on removal, so the handshake happens as on a Terminate
 * listener.
 */
final class SniRouteHandler extends AbstractSniHandler<L4Target> {
  private final Supplier<L4Table> table;
  private final @Nullable Supplier<ChannelHandler[]> terminators;

  SniRouteHandler(Supplier<L4Table> table, int maxClientHello, long timeoutMillis) {
    this(table, maxClientHello, timeoutMillis, null);
  }

  /**
   * @param terminators on a mixed port, the handlers that terminate TLS (certificate by SNI) for a
   * route whose {@link L4Target#terminate()} is set; null on a Passthrough listener
   */
  SniRouteHandler(Supplier<L4Table> table, int maxClientHello, long timeoutMillis,
      @Nullable Supplier<ChannelHandler[]> terminators) {
    super(maxClientHello, timeoutMillis);
    this.table = table;
    this.terminators = terminators;
  }

  @Override
  protected Future<L4Target> lookup(ChannelHandlerContext ctx, @Nullable String hostname) {
    return ctx.executor().newSucceededFuture(table.get().select(hostname));
  }

  @Override
  protected void onLookupComplete(ChannelHandlerContext ctx, @Nullable String hostname,
      Future<L4Target> future) {
    L4Target target = future.getNow();
    if (target == null || target.terminate() && terminators == null) {
      ctx.close();
      return;
    }
    if (target.terminate()) {
      // The terminating handlers go after this one: removing it hands them the buffered
      // ClientHello, and the frontend connects once their handshake completes.
      String after = ctx.name();
      for (ChannelHandler h : terminators.get()) {
        ctx.pipeline().addAfter(after, null, h);
        after = ctx.pipeline().context(h).name();
      }
      ctx.fireUserEventTriggered(new L4FrontendHandler.TerminateSelected(target));
      ctx.pipeline().remove(this);
      return;
    }
    ctx.fireUserEventTriggered(new L4FrontendHandler.RouteSelected(target));
    ctx.pipeline().remove(this);
  }
}
