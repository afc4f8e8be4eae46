package io.gatehouse.proxy.upstream;

import io.netty.handler.codec.http.HttpObject;

/**
 * Receives what one upstream connection produces while it serves one request. Called on the
 * connection's event loop only.
 */
public interface UpstreamListener {

  /**
   * A decoded response part. The listener owns {@code msg} from here: it forwards or releases it.
   */
  void onUpstreamMessage(HttpObject msg);

  /** The upstream connection closed (reset, EOF or error) while attached to this listener. */
  void onUpstreamClosed();

  /**
   * Nothing was read from or written to the upstream connection for the upstream idle timeout while
   * attached to this listener; the connection is closed right after this call.
   */
  default void onUpstreamIdle() {
  }

  /**
   * The upstream connection's current read is done: whatever it decoded was delivered (or waits for
   * a read). A listener that held back a flush for a part expected in the same read flushes now.
   */
  default void onUpstreamReadComplete() {
  }
}
