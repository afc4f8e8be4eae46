package io.gatehouse.proxy.http;

import io.gatehouse.proxy.flow.ActivityTimeoutHandler;
import java.time.Duration;

/**
 * The stream idle timeout: fires {@link StreamIdleEvent} when nothing was read or written for the
 * timeout, on an HTTP/1.1 connection or an HTTP/2 stream channel, and again after each further
 * timeout without activity (see {@link ActivityTimeoutHandler}). {@link DownstreamHandler} cuts an
 * exchange in progress on it (an idle connection between requests is the idle timeout's business).
 * A timeout of zero turns it off.
 */
final class StreamIdleHandler extends ActivityTimeoutHandler {
  StreamIdleHandler(Duration timeout) {
    super(timeout);
  }

  @Override
  protected Object idleEvent(boolean first) {
    return StreamIdleEvent.INSTANCE;
  }

  /** No bytes in either direction for the stream idle timeout. */
  enum StreamIdleEvent {
    INSTANCE
  }
}
