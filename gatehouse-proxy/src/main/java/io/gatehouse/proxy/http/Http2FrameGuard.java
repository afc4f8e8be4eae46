package io.gatehouse.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameLogger;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.handler.logging.LogLevel;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The HTTP/2 flood counters and stream-state rules Netty's codec does not have, for one downstream
 * connection. Installed as the codec's frame logger, so it sees every frame read, before the codec
 * acts on it, and every frame written (and still logs them at TRACE, as the logger it replaces).
 *
 * <p>
 * Closes the connection with GOAWAY(ENHANCE_YOUR_CALM) when the client sends more than
 * {@code maxPriorityFramesPerStream × (1 + streams opened)} PRIORITY frames, more than
 * {@code 5 + 2 × (streams opened + maxWindowUpdatesPerDataFrame × DATA frames sent)} WINDOW_UPDATE
 * frames (Envoy's formulas), or when, from {@code prematureResetMinStreams} streams on, more than
 * half of the client's streams were reset within {@code prematureResetLifetimeMillis} of opening,
 * by the client (rapid reset) or by the server because of the client's frames (MadeYouReset). The
 * reset budget per time window is Netty's ({@code maxResetsPerWindow}), which counts received
 * resets and resets the client provokes.
 *
 * <p>
 * It also makes a HEADERS frame on a stream the client can no longer use a connection error, where
 * Netty, which forgets closed streams, can only reset the stream: on a stream whose request has
 * ended (half-closed remote, or closed without a reset from us) it is STREAM_CLOSED, on a lower
 * stream id that was never opened (or opened too long ago to be remembered) PROTOCOL_ERROR (RFC
 * 9113 §5.1, §5.1.1). Frames on a stream we reset are left to Netty, which ignores them.
 *
 * <p>
 * Every GOAWAY(ENHANCE_YOUR_CALM) it sees written penalises the client's address in the
 * {@link PenaltyBox} ({@code PeerPenalty}): the attacker's next connections are closed at accept.
 *
 * <p>
 * Not thread-safe: everything runs on the connection's event loop. Memory is bounded: the open
 * times of open streams (at most the concurrent-stream limit), {@value #REMEMBERED_CLOSED} closed
 * stream ids and at most {@code maxResetsPerWindow + 1} reset times.
 */
final class Http2FrameGuard extends Http2FrameLogger {
  static final int REMEMBERED_CLOSED = 256;

  private final Http2Limits limits;
  private final PenaltyBox penalties;
  private final LongSupplier nanoClock;
  private Http2Connection connection;
  private Http2ConnectionHandler handler;
  private final Map<Integer, Long> openedAt = new HashMap<>();
  /** Recently closed client streams by id. */
  private final Map<Integer, Closed> closed = new LinkedHashMap<>(64, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Integer, Closed> eldest) {
      return size() > REMEMBERED_CLOSED;
    }
  };
  private long streamsOpened;
  private long prematureResets;
  private long priorityFrames;
  private long windowUpdates;
  private long dataFramesSent;
  private boolean violated;

  Http2FrameGuard(Http2Limits limits) {
    this(limits, PenaltyBox.off());
  }

  Http2FrameGuard(Http2Limits limits, PenaltyBox penalties) {
    this(limits, penalties, System::nanoTime);
  }

  Http2FrameGuard(Http2Limits limits, LongSupplier nanoClock) {
    this(limits, PenaltyBox.off(), nanoClock);
  }

  Http2FrameGuard(Http2Limits limits, PenaltyBox penalties, LongSupplier nanoClock) {
    super(LogLevel.TRACE, Http2FrameGuard.class);
    this.limits = limits;
    this.penalties = penalties;
    this.nanoClock = nanoClock;
  }

  /** Connects the guard to the codec it logs for; call once, before the codec is added. */
  void attach(Http2ConnectionHandler codec) {
    this.handler = codec;
    this.connection = codec.connection();
    connection.addListener(new Http2ConnectionAdapter() {
      @Override
      public void onStreamAdded(Http2Stream stream) {
        if (connection.remote().isValidStreamId(stream.id())) {
          streamsOpened++;
          openedAt.put(stream.id(), nanoClock.getAsLong());
        }
      }

      @Override
      public void onStreamClosed(Http2Stream stream) {
        if (connection.remote().isValidStreamId(stream.id())) {
          closed.put(stream.id(), new Closed(stream.isResetSent(), openedAt.remove(stream.id())));
        }
      }
    });
  }

  @Override
  public void logHeaders(Direction direction, ChannelHandlerContext ctx, int streamId,
      Http2Headers headers, int padding, boolean endStream) {
    super.logHeaders(direction, ctx, streamId, headers, padding, endStream);
    if (direction == Direction.INBOUND) {
      checkHeaders(streamId);
    }
  }

  @Override
  public void logHeaders(Direction direction, ChannelHandlerContext ctx, int streamId,
      Http2Headers headers, int streamDependency, short weight, boolean exclusive, int padding,
      boolean endStream) {
    super.logHeaders(direction, ctx, streamId, headers, streamDependency, weight, exclusive,
        padding, endStream);
    if (direction == Direction.INBOUND) {
      checkHeaders(streamId);
    }
  }

  @Override
  public void logData(Direction direction, ChannelHandlerContext ctx, int streamId, ByteBuf data,
      int padding, boolean endStream) {
    super.logData(direction, ctx, streamId, data, padding, endStream);
    if (direction == Direction.OUTBOUND) {
      dataFramesSent++;
    }
  }

  @Override
  public void logPriority(Direction direction, ChannelHandlerContext ctx, int streamId,
      int streamDependency, short weight, boolean exclusive) {
    super.logPriority(direction, ctx, streamId, streamDependency, weight, exclusive);
    if (direction == Direction.INBOUND
        && ++priorityFrames > (long) limits.maxPriorityFramesPerStream() * (1 + streamsOpened)) {
      violation(ctx, direction, Http2Error.ENHANCE_YOUR_CALM, "PRIORITY flood");
    }
  }

  @Override
  public void logWindowsUpdate(Direction direction, ChannelHandlerContext ctx, int streamId,
      int windowSizeIncrement) {
    super.logWindowsUpdate(direction, ctx, streamId, windowSizeIncrement);
    if (direction == Direction.INBOUND && ++windowUpdates > 5
        + 2 * (streamsOpened + (long) limits.maxWindowUpdatesPerDataFrame() * dataFramesSent)) {
      violation(ctx, direction, Http2Error.ENHANCE_YOUR_CALM, "WINDOW_UPDATE flood");
    }
  }

  @Override
  public void logRstStream(Direction direction, ChannelHandlerContext ctx, int streamId,
      long errorCode) {
    super.logRstStream(direction, ctx, streamId, errorCode);
    // The stream may already be closed (a stream channel's reset is written after the read).
    Long opened = openedAt.remove(streamId);
    if (opened == null) {
      Closed c = closed.get(streamId);
      if (c != null && c.openedAt != null) {
        opened = c.openedAt;
        closed.put(streamId, new Closed(c.resetByUs, null));
      }
    }
    if (opened != null
        && nanoClock.getAsLong() - opened < limits.prematureResetLifetimeMillis() * 1_000_000L) {
      prematureResets++;
    }
    if (streamsOpened >= limits.prematureResetMinStreams() && prematureResets * 2 > streamsOpened) {
      violation(ctx, direction, Http2Error.ENHANCE_YOUR_CALM, "too many premature stream resets");
    }
  }

  /**
   * Every GOAWAY(ENHANCE_YOUR_CALM) the proxy sends, whichever limit caused it (ours or Netty's),
   * penalises the client's address: its next connections are refused at accept for a while.
   */
  @Override
  public void logGoAway(Direction direction, ChannelHandlerContext ctx, int lastStreamId,
      long errorCode, ByteBuf debugData) {
    super.logGoAway(direction, ctx, lastStreamId, errorCode, debugData);
    if (direction == Direction.OUTBOUND && errorCode == Http2Error.ENHANCE_YOUR_CALM.code()) {
      penalties.penalise(ctx.channel().remoteAddress());
    }
  }

  /** RFC 9113 §5.1 and §5.1.1 for a HEADERS frame the client sent on {@code streamId}. */
  private void checkHeaders(int streamId) {
    if (connection == null || !connection.remote().isValidStreamId(streamId)) {
      return; // a server-initiated id: Netty's own PROTOCOL_ERROR
    }
    Http2Stream stream = connection.stream(streamId);
    if (stream != null) {
      if ((stream.state() == Http2Stream.State.HALF_CLOSED_REMOTE
          || stream.state() == Http2Stream.State.CLOSED) && !stream.isResetSent()) {
        throw sneaky(Http2Exception.connectionError(Http2Error.STREAM_CLOSED,
            "HEADERS on stream %d after its END_STREAM", streamId));
      }
      return;
    }
    if (streamId > connection.remote().lastStreamCreated()) {
      return; // a new stream
    }
    Closed c = closed.get(streamId);
    if (c == null) {
      throw sneaky(Http2Exception.connectionError(Http2Error.PROTOCOL_ERROR,
          "HEADERS opening stream %d, not above the last stream opened %d", streamId,
          connection.remote().lastStreamCreated()));
    }
    if (!c.resetByUs) {
      throw sneaky(Http2Exception.connectionError(Http2Error.STREAM_CLOSED,
          "HEADERS on closed stream %d", streamId));
    }
  }

  /**
   * A closed client stream: whether we reset it, and when it opened while a reset of it may still
   * count as premature (null once counted).
   */
  private record Closed(boolean resetByUs, Long openedAt) {
  }

  /**
   * A frame read stops here: the codec turns the exception into GOAWAY and closes. A frame written
   * cannot be stopped where it is written; the connection error follows on the event loop.
   */
  private void violation(ChannelHandlerContext ctx, Direction direction, Http2Error error,
      String why) {
    if (violated) {
      return;
    }
    violated = true;
    Http2Exception e = Http2Exception.connectionError(error, "%s", why);
    if (direction == Direction.INBOUND) {
      throw sneaky(e);
    }
    ctx.executor().execute(() -> handler.onError(ctx, false, e));
  }

  /**
   * Throws a checked {@link Http2Exception} through the logger's methods, which declare none; the
   * codec's decoder catches every throwable and handles an HTTP/2 exception by its error code.
   */
  @SuppressWarnings("unchecked")
  private static <T extends Throwable> RuntimeException sneaky(Throwable t) throws T {
    throw (T) t;
  }
}
