package io.gatehouse.proxy.http;

/**
 * The HTTP/2 limits of downstream (client-facing) connections, set explicitly rather than left to
 * Netty's defaults (Envoy's edge recommendations; see {@code docs/configuration.md}).
 *
 * @param maxConcurrentStreams SETTINGS_MAX_CONCURRENT_STREAMS, enforced from the first frame (a
 * stream beyond it is refused with REFUSED_STREAM)
 * @param initialStreamWindow SETTINGS_INITIAL_WINDOW_SIZE: request body bytes a client may send on
 * one stream before the proxy has forwarded them upstream
 * @param connectionWindow the receive window of the whole connection (raised from HTTP/2's 65,535
 * by a WINDOW_UPDATE on stream 0 right after the server preface)
 * @param maxHeaderListSize SETTINGS_MAX_HEADER_LIST_SIZE: decoded request header bytes (RFC 9113
 * §6.5.2 accounting); more gets 431 and a stream reset
 * @param maxQueuedControlFrames control frames (PING/SETTINGS acks, RST_STREAM) the client may
 * leave unread before the connection is closed
 * @param maxConsecutiveEmptyDataFrames empty DATA frames without END_STREAM in a row before the
 * connection is closed
 * @param maxResetsPerWindow RST_STREAM frames (received, and sent because of the client's frames)
 * per {@code resetWindowSeconds} before the connection is closed with ENHANCE_YOUR_CALM (rapid
 * reset, CVE-2023-44487; MadeYouReset)
 * @param resetWindowSeconds the window of {@code maxResetsPerWindow}
 * @param maxSmallContinuationFrames CONTINUATION frames without header bytes per header block
 * before the connection is closed (CONTINUATION flood)
 * @param maxPriorityFramesPerStream PRIORITY frames allowed per stream the client opened: more than
 * {@code maxPriorityFramesPerStream × (1 + streams opened)} closes the connection with
 * ENHANCE_YOUR_CALM (Envoy's {@code max_inbound_priority_frames_per_stream})
 * @param maxWindowUpdatesPerDataFrame WINDOW_UPDATE frames allowed per DATA frame the proxy sent:
 * more than {@code 5 + 2 × (streams opened + maxWindowUpdatesPerDataFrame × DATA frames sent)}
 * closes the connection with ENHANCE_YOUR_CALM (Envoy's
 * {@code max_inbound_window_update_frames_per_data_frame_sent})
 * @param prematureResetMinStreams once the client has opened at least this many streams, more than
 * half of them reset (by either side) within {@code prematureResetLifetimeMillis} of opening closes
 * the connection with ENHANCE_YOUR_CALM (Envoy's premature-reset accounting)
 * @param prematureResetLifetimeMillis a stream reset younger than this counts as premature
 */
public record Http2Limits(int maxConcurrentStreams, int initialStreamWindow,
    int connectionWindow, long maxHeaderListSize, int maxQueuedControlFrames,
    int maxConsecutiveEmptyDataFrames, int maxResetsPerWindow, int resetWindowSeconds,
    int maxSmallContinuationFrames, int maxPriorityFramesPerStream,
    int maxWindowUpdatesPerDataFrame, int prematureResetMinStreams,
    int prematureResetLifetimeMillis) {
  /** HTTP/2's initial window of every stream and of the connection (RFC 9113 §6.9.2). */
  static final int PROTOCOL_DEFAULT_WINDOW = 65_535;

  public Http2Limits {
    positive(maxConcurrentStreams, "maxConcurrentStreams");
    positive(initialStreamWindow, "initialStreamWindow");
    if (connectionWindow < PROTOCOL_DEFAULT_WINDOW) {
      throw new IllegalArgumentException("connectionWindow < 65535: " + connectionWindow);
    }
    if (maxHeaderListSize <= 0) {
      throw new IllegalArgumentException("maxHeaderListSize <= 0");
    }
    positive(maxQueuedControlFrames, "maxQueuedControlFrames");
    positive(maxConsecutiveEmptyDataFrames, "maxConsecutiveEmptyDataFrames");
    positive(maxResetsPerWindow, "maxResetsPerWindow");
    positive(resetWindowSeconds, "resetWindowSeconds");
    positive(maxSmallContinuationFrames, "maxSmallContinuationFrames");
    positive(maxPriorityFramesPerStream, "maxPriorityFramesPerStream");
    positive(maxWindowUpdatesPerDataFrame, "maxWindowUpdatesPerDataFrame");
    positive(prematureResetMinStreams, "prematureResetMinStreams");
    positive(prematureResetLifetimeMillis, "prematureResetLifetimeMillis");
  }

  /** The limits Netty enforces, with the default flood counters of {@link #defaults()}. */
  public Http2Limits(int maxConcurrentStreams, int initialStreamWindow, int connectionWindow,
      long maxHeaderListSize, int maxQueuedControlFrames, int maxConsecutiveEmptyDataFrames,
      int maxResetsPerWindow, int resetWindowSeconds, int maxSmallContinuationFrames) {
    this(maxConcurrentStreams, initialStreamWindow, connectionWindow, maxHeaderListSize,
        maxQueuedControlFrames, maxConsecutiveEmptyDataFrames, maxResetsPerWindow,
        resetWindowSeconds, maxSmallContinuationFrames, 100, 10, 100, 1000);
  }

  /**
   * 100 concurrent streams, a 64 KiB stream window, a 1 MiB connection window, 16 KiB of headers
   * (the HTTP/1.1 listener's header limit), 1,000 queued control frames, 1 empty DATA frame, 200
   * resets per 30 s, 16 empty CONTINUATION frames, 100 PRIORITY frames per stream, 10 WINDOW_UPDATE
   * frames per DATA frame sent, premature resets judged from 100 streams on with a 1 s lifetime.
   */
  public static Http2Limits defaults() {
    return new Http2Limits(100, 64 << 10, 1 << 20, 16 << 10, 1000, 1, 200, 30, 16);
  }

  private static void positive(int value, String name) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " <= 0: " + value);
    }
  }
}
