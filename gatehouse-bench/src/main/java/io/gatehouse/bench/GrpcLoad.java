package io.gatehouse.bench;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * The load client of {@link GrpcBench} (grpc-java over h2c, calls completed on the channels' Netty
 * threads): unary calls with a fixed number in flight (throughput), unary calls at a fixed rate
 * (latency), and bidirectional streams pushing messages as fast as flow control lets them
 * (throughput). Each load runs {@code warmup} unmeasured, then {@code measure}; only what completes
 * inside the measured window counts. Errors are counted by status code, never retried.
 */
public final class GrpcLoad implements AutoCloseable {
  private static final long HIGHEST_NANOS = TimeUnit.SECONDS.toNanos(60);
  /**
   * Deadline of every unary call, so that calls an overloaded or stuck path never answers end
   * (DEADLINE_EXCEEDED, counted as errors) instead of loading the next run.
   */
  static final long CALL_DEADLINE_SECONDS = 10;

  private final List<ManagedChannel> channels = new ArrayList<>();
  private volatile Runnable windowOpened = () -> {
  };
  private volatile Runnable windowClosed = () -> {
  };

  /** {@code channels} h2c connections to {@code 127.0.0.1:port}. */
  public GrpcLoad(int port, int channels) {
    for (int i = 0; i < channels; i++) {
      this.channels.add(NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext()
          .directExecutor().build());
    }
  }

  /**
   * Hooks run as each measured window opens and closes (e.g. to read processes' CPU time over
   * exactly the window).
   */
  public void onWindow(Runnable opened, Runnable closed) {
    windowOpened = opened;
    windowClosed = closed;
  }

  /**
   * What one load measured: completed calls or messages in the window, errors, latencies; and over
   * the whole load (warm-up, window and the draining after it) the calls or messages sent and those
   * answered successfully.
   */
  public record Result(long completed, double seconds, Histogram latency,
      Map<String, Long> errors, long stalledSeconds, double firstMillis, long sent,
      long answered, List<Long> timeline) {
    public double perSecond() {
      return completed / seconds;
    }

    public long errorCount() {
      return errors.values().stream().mapToLong(Long::longValue).sum();
    }

    public double micros(double percentile) {
      return latency.getTotalCount() == 0 ? 0 : latency.getValueAtPercentile(percentile) / 1000.0;
    }
  }

  /** Shared counters of one load: the measured window opens and closes by flags. */
  private final class Window {
    final Histogram latency = new ConcurrentHistogram(HIGHEST_NANOS, 3);
    final LongAdder completed = new LongAdder();
    final Map<String, Long> errors = new ConcurrentHashMap<>();
    final LongAdder sent = new LongAdder();
    final LongAdder answered = new LongAdder();
    /** Calls or messages answered (or failed) in each second of the window. */
    final List<Long> timeline = new ArrayList<>();
    final long created = System.nanoTime();
    /** The slowest stream's time to its first echo, or the time to the first unary call. */
    final AtomicLong firstNanos = new AtomicLong();
    volatile boolean measuring;
    volatile boolean running = true;

    /**
     * Counts an error by its status code, description (numbers folded, since durations and
     * addresses vary per call) and innermost cause, if any.
     */
    void error(Throwable t) {
      Status status = Status.fromThrowable(t);
      StringBuilder key = new StringBuilder(status.getCode().name());
      if (status.getDescription() != null) {
        String d = status.getDescription().replaceAll("\\d+\\.\\d+|\\d{3,}", "N");
        key.append(": ").append(d.length() > 160 ? d.substring(0, 160) + "..." : d);
      }
      Throwable cause = status.getCause();
      while (cause != null && cause.getCause() != null && cause.getCause() != cause) {
        cause = cause.getCause();
      }
      if (cause != null) {
        key.append(" (").append(cause.getClass().getSimpleName()).append(": ")
            .append(cause.getMessage()).append(')');
      }
      errors.merge(key.toString(), 1L, Long::sum);
    }

    void done(long startNanos) {
      if (measuring) {
        completed.increment();
        latency.recordValue(Math.min(HIGHEST_NANOS, System.nanoTime() - startNanos));
      }
    }

    /** Runs warm-up then the window; returns the window's length in seconds. */
    double run(double warmupSeconds, double measureSeconds, LongAdder progress,
        long[] stalled) throws InterruptedException {
      sleepSeconds(warmupSeconds);
      windowOpened.run();
      measuring = true;
      long start = System.nanoTime();
      long end = start + (long) (measureSeconds * 1e9);
      long last = progress.sum();
      for (long next = start + 1_000_000_000L; next <= end; next += 1_000_000_000L) {
        LockSupport.parkNanos(next - System.nanoTime());
        long now = progress.sum();
        if (now == last) {
          stalled[0]++;
        }
        timeline.add(now - last);
        last = now;
      }
      LockSupport.parkNanos(end - System.nanoTime());
      measuring = false;
      windowClosed.run();
      double seconds = (System.nanoTime() - start) / 1e9;
      running = false;
      return seconds;
    }

    Result result(double seconds, long stalled) {
      return new Result(completed.sum(), seconds, latency, Map.copyOf(errors), stalled,
          firstNanos.get() / 1e6, sent.sum(), answered.sum(), List.copyOf(timeline));
    }
  }

  /**
   * One blocking call on every channel (30 s deadline), so that connection set-up is not part of a
   * load; a failure is recorded as an error of the load.
   */
  private void connect(Window w) {
    for (ManagedChannel c : channels) {
      try {
        ClientCalls.blockingUnaryCall(c, GrpcEcho.UNARY,
            CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS), new byte[1]);
      } catch (RuntimeException e) {
        w.error(e);
      }
    }
  }

  /**
   * Closed loop: {@code inFlight} callers spread over the channels, each sending its next call when
   * the previous one completes.
   */
  public Result unary(int inFlight, byte[] payload, double warmupSeconds, double measureSeconds)
      throws InterruptedException {
    Window w = new Window();
    connect(w);
    LongAdder progress = new LongAdder();
    CountDownLatch idle = new CountDownLatch(inFlight);
    for (int i = 0; i < inFlight; i++) {
      new Caller(channels.get(i % channels.size()), payload, w, progress, idle).next();
    }
    long[] stalled = {0};
    double seconds = w.run(warmupSeconds, measureSeconds, progress, stalled);
    if (!idle.await(30, TimeUnit.SECONDS)) {
      w.errors.merge("calls not answered 30 s after the window", idle.getCount(), Long::sum);
    }
    return w.result(seconds, stalled[0]);
  }

  private static final class Caller implements StreamObserver<byte[]> {
    private final ManagedChannel channel;
    private final byte[] payload;
    private final Window w;
    private final LongAdder progress;
    private final CountDownLatch idle;
    private long started;

    Caller(ManagedChannel channel, byte[] payload, Window w, LongAdder progress,
        CountDownLatch idle) {
      this.channel = channel;
      this.payload = payload;
      this.w = w;
      this.progress = progress;
      this.idle = idle;
    }

    void next() {
      if (!w.running) {
        idle.countDown();
        return;
      }
      started = System.nanoTime();
      w.sent.increment();
      ClientCalls.asyncUnaryCall(channel.newCall(GrpcEcho.UNARY,
          CallOptions.DEFAULT.withDeadlineAfter(CALL_DEADLINE_SECONDS, TimeUnit.SECONDS)),
          payload, this);
    }

    @Override
    public void onNext(byte[] value) {
      // the echo; completion counts in onCompleted
    }

    @Override
    public void onError(Throwable t) {
      w.error(t);
      progress.increment();
      next();
    }

    @Override
    public void onCompleted() {
      w.done(started);
      w.answered.increment();
      if (w.firstNanos.get() == 0) {
        w.firstNanos.compareAndSet(0, System.nanoTime() - w.created);
      }
      progress.increment();
      next();
    }
  }

  /**
   * Open loop at {@code rate} calls per second round-robin over the channels; each latency runs
   * from the call's intended start, so a stall counts against every call it delayed.
   */
  public Result unaryAtRate(int rate, byte[] payload, double warmupSeconds,
      double measureSeconds) throws InterruptedException {
    Window w = new Window();
    connect(w);
    LongAdder progress = new LongAdder();
    AtomicLong outstanding = new AtomicLong();
    CountDownLatch firstSent = new CountDownLatch(1);
    Thread sender = Thread.ofPlatform().daemon().name("grpc-rate").start(() -> {
      long interval = 1_000_000_000L / rate;
      long start = System.nanoTime();
      for (long i = 0; w.running; i++) {
        long intended = start + i * interval;
        for (long wait = intended - System.nanoTime(); wait > 0; wait = intended
            - System.nanoTime()) {
          if (wait > 50_000) {
            LockSupport.parkNanos(wait - 50_000);
          } else {
            Thread.onSpinWait();
          }
        }
        if (!w.running) {
          break;
        }
        outstanding.incrementAndGet();
        w.sent.increment();
        ManagedChannel ch = channels.get((int) (i % channels.size()));
        ClientCalls.asyncUnaryCall(ch.newCall(GrpcEcho.UNARY,
            CallOptions.DEFAULT.withDeadlineAfter(CALL_DEADLINE_SECONDS, TimeUnit.SECONDS)),
            payload,
            new StreamObserver<byte[]>() {
              @Override
              public void onNext(byte[] value) {
              }

              @Override
              public void onError(Throwable t) {
                w.error(t);
                progress.increment();
                outstanding.decrementAndGet();
              }

              @Override
              public void onCompleted() {
                w.done(intended);
                w.answered.increment();
                progress.increment();
                outstanding.decrementAndGet();
              }
            });
        firstSent.countDown();
      }
    });
    firstSent.await(30, TimeUnit.SECONDS);
    long[] stalled = {0};
    double seconds = w.run(warmupSeconds, measureSeconds, progress, stalled);
    sender.join(10_000);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (outstanding.get() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    if (outstanding.get() > 0) {
      w.errors.merge("calls not answered 30 s after the window", outstanding.get(), Long::sum);
    }
    return w.result(seconds, stalled[0]);
  }

  /**
   * {@code streams} bidirectional streams spread over the channels; each sends {@code payload}
   * whenever its call is ready (never queueing beyond the transport's ready threshold) and fewer
   * than {@code window} messages of it are unanswered (0: no such limit, so the HTTP/2 windows, 1
   * MiB per stream by default in grpc-java, bound what is in flight), and counts the echoes. After
   * the measured window every stream half-closes and waits for the server to complete.
   */
  public Result stream(int streams, int window, byte[] payload, double warmupSeconds,
      double measureSeconds) throws InterruptedException {
    Window w = new Window();
    connect(w);
    LongAdder progress = new LongAdder();
    CountDownLatch closed = new CountDownLatch(streams);
    CountDownLatch sending = new CountDownLatch(streams);
    List<Pusher> pushers = new ArrayList<>();
    for (int i = 0; i < streams; i++) {
      Pusher p = new Pusher(payload, window, w, progress, closed, sending);
      pushers.add(p);
      ClientCalls.asyncBidiStreamingCall(
          channels.get(i % channels.size()).newCall(GrpcEcho.STREAM, CallOptions.DEFAULT), p);
    }
    // The clock starts once every stream has sent its first message.
    if (!sending.await(30, TimeUnit.SECONDS)) {
      w.errors.merge("streams not ready in 30 s", sending.getCount(), Long::sum);
    }
    long[] stalled = {0};
    double seconds = w.run(warmupSeconds, measureSeconds, progress, stalled);
    for (Pusher p : pushers) {
      p.finish();
    }
    if (!closed.await(30, TimeUnit.SECONDS)) {
      w.errors.merge("streams not completed 30 s after half-close", closed.getCount(), Long::sum);
    }
    long silent = pushers.stream().filter(p -> !p.echoed).count();
    if (silent > 0) {
      w.errors.merge("streams that never got an echo", silent, Long::sum);
    }
    return w.result(seconds, stalled[0]);
  }

  private static final class Pusher implements ClientResponseObserver<byte[], byte[]> {
    private final byte[] payload;
    private final int window;
    private final Window w;
    private final LongAdder progress;
    private final CountDownLatch closed;
    private final CountDownLatch sending;
    private final AtomicBoolean halfClosed = new AtomicBoolean();
    private volatile ClientCallStreamObserver<byte[]> requests;
    private volatile boolean echoed;
    private long sent; // guarded by this
    private long received;

    Pusher(byte[] payload, int window, Window w, LongAdder progress, CountDownLatch closed,
        CountDownLatch sending) {
      this.sending = sending;
      this.payload = payload;
      this.window = window;
      this.w = w;
      this.progress = progress;
      this.closed = closed;
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<byte[]> call) {
      requests = call;
      call.setOnReadyHandler(this::push);
    }

    /**
     * onReady and after each echo: send while the call is ready and the window allows; runs on the
     * call's serialised executor.
     */
    private void push() {
      synchronized (this) { // uncontended but for the final finish() from the harness thread
        while (w.running && requests.isReady() && (window == 0 || sent - received < window)) {
          requests.onNext(payload);
          w.sent.increment();
          if (sent++ == 0) {
            sending.countDown();
          }
        }
      }
      if (!w.running) {
        finish();
      }
    }

    void finish() {
      ClientCallStreamObserver<byte[]> r = requests;
      if (r != null && halfClosed.compareAndSet(false, true)) {
        synchronized (this) { // finish() may come from the harness thread
          r.onCompleted();
        }
      }
    }

    @Override
    public void onNext(byte[] value) {
      if (!echoed) {
        echoed = true;
        long first = System.nanoTime() - w.created;
        w.firstNanos.accumulateAndGet(first, Math::max);
      }
      progress.increment();
      w.answered.increment();
      if (w.measuring) {
        w.completed.increment();
      }
      synchronized (this) {
        received++;
      }
      push();
    }

    @Override
    public void onError(Throwable t) {
      w.error(t);
      synchronized (this) {
        if (sent == 0) { // never sent: release the harness waiting for it
          sent = -1;
          sending.countDown();
        }
      }
      closed.countDown();
    }

    @Override
    public void onCompleted() {
      closed.countDown();
    }
  }

  private static void sleepSeconds(double seconds) throws InterruptedException {
    if (seconds > 0) {
      Thread.sleep((long) (seconds * 1000));
    }
  }

  @Override
  public void close() throws InterruptedException {
    for (ManagedChannel c : channels) {
      c.shutdownNow();
    }
    for (ManagedChannel c : channels) {
      c.awaitTermination(10, TimeUnit.SECONDS);
    }
  }
}
