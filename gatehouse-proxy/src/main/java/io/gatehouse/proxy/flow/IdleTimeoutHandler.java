package io.gatehouse.proxy.flow;

import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Duration;

/**
 * The connection idle timeout: fires {@link IdleStateEvent#FIRST_ALL_IDLE_STATE_EVENT} when nothing
 * was read or written for the timeout, then {@link IdleStateEvent#ALL_IDLE_STATE_EVENT} after each
 * further timeout without activity, as an {@link IdleStateHandler} with only an all-idle time does,
 * without its cost per write (see {@link ActivityTimeoutHandler}). Sits first in a client or
 * upstream connection's pipeline; the handlers that act on idleness ({@code DownstreamHandler},
 * {@code UpstreamHandler}, the HTTP/2 and tunnel handlers) see the same events as with Netty's.
 */
public final class IdleTimeoutHandler extends ActivityTimeoutHandler {
  public IdleTimeoutHandler(Duration timeout) {
    super(timeout);
  }

  @Override
  protected Object idleEvent(boolean first) {
    return first ? IdleStateEvent.FIRST_ALL_IDLE_STATE_EVENT : IdleStateEvent.ALL_IDLE_STATE_EVENT;
  }
}
