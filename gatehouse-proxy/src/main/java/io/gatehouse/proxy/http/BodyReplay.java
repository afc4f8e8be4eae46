package io.gatehouse.proxy.http;

import io.netty.handler.codec.http.HttpContent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The request body parts read from the client so far, kept so that the request can be sent again (a
 * retry) or copied (a mirror). Parts are kept as retained duplicates, which share the parts'
 * memory, up to {@link #LIMIT} bytes in all; a body that grows past the limit is dropped at once
 * and can no longer be replayed.
 *
 * <p>
 * Confined to one event loop. Ownership: {@link #add} does not take the part it is given (it keeps
 * a retained duplicate); this object owns its duplicates until {@link #release}, and
 * {@link #copyTo} hands out new duplicates that the receiver owns.
 */
final class BodyReplay {
  /** The largest body kept: 64 KiB. */
  static final int LIMIT = 64 * 1024;

  private final List<HttpContent> parts = new ArrayList<>();
  private long bytes;
  private boolean overflowed;
  private boolean released;

  /** Keeps {@code part} (a duplicate of it), unless the body is past the limit or released. */
  void add(HttpContent part) {
    if (overflowed || released) {
      return;
    }
    bytes += part.content().readableBytes();
    if (bytes > LIMIT) {
      overflowed = true;
      releaseParts();
      return;
    }
    parts.add(part.retainedDuplicate());
  }

  /** Whether every part added so far is kept. */
  boolean complete() {
    return !overflowed && !released;
  }

  /** The bytes of the parts kept. */
  long bytes() {
    return bytes;
  }

  /** Adds a new duplicate of every kept part to {@code out}, in order; {@code out} owns them. */
  void copyTo(Collection<? super HttpContent> out) {
    for (HttpContent p : parts) {
      out.add(p.retainedDuplicate());
    }
  }

  /** Releases the kept parts; later additions are ignored. Idempotent. */
  void release() {
    released = true;
    releaseParts();
  }

  private void releaseParts() {
    for (HttpContent p : parts) {
      p.release();
    }
    parts.clear();
  }
}
