package io.gatehouse.proxy.grpc;

import static io.gatehouse.proxy.grpc.GrpcMethods.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.proxy.DirectMemoryPeak;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.stub.ClientCalls;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Backpressure through the proxy with a client that stops reading: HTTP/2 flow control must carry
 * the stall from the client back to the backend (and, on a bidi stream, on to the sender), so the
 * proxy holds at most a few windows of a stream, never the stream. The memory measured is Netty's
 * count of reserved direct memory ({@link DirectMemoryPeak}): the gRPC client and server run on
 * grpc-java's shaded Netty, which counts its own, so the growth is the proxy's.
 *
 * <p>
 * Each stream is 10,000 messages of 8 KiB (80 MiB); the client reads nothing for two seconds, then
 * everything. The client's HTTP/2 window is 64 KiB (no automatic window growth); the proxy's
 * upstream stream window is 1 MiB.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GrpcFlowControlIT {
  private static final long MIB = 1 << 20;
  private static final int MESSAGES = 10_000;
  private static final int SIZE = 8192;
  /** Direct memory the proxy may reserve for one stalled stream: windows and allocator chunks. */
  private static final long MEMORY_BOUND = 8 * MIB;
  private static final long PAUSE_MS = 2000;

  private GrpcFixture fx;
  private ManagedChannel channel;

  @BeforeAll
  void start() {
    fx = new GrpcFixture();
    channel = fx.h2c(b -> b.initialFlowControlWindow(65_535).maxInboundMessageSize(1 << 20));
    // Warm the proxy's allocator up, so its first reservations are in the baseline.
    ClientCalls.blockingServerStreamingCall(channel, GrpcMethods.serverStream(GrpcMethods.TEST),
        CallOptions.DEFAULT, utf8("300:" + SIZE)).forEachRemaining(m -> {
        });
  }

  @AfterAll
  void stop() throws InterruptedException {
    fx.close();
  }

  @Test
  void aBidiStreamToASlowConsumerKeepsProxyMemoryBounded() throws Exception {
    Call call = new Call(GrpcMethods.bidi(GrpcMethods.TEST), true);
    try (DirectMemoryPeak peak = new DirectMemoryPeak("grpc-bidi-direct-memory")) {
      call.start(null);
      Thread.sleep(PAUSE_MS);
      int sentWhilePaused = call.sent.get();
      long growthWhilePaused = peak.growth();
      call.consume();
      Status s = call.closed.get(60, TimeUnit.SECONDS);
      long growth = peak.growth();
      System.out.printf("gRPC bidi, slow consumer: %d of %d messages sent during the %d ms pause;"
          + " proxy direct memory growth %,d bytes paused, %,d bytes overall%n", sentWhilePaused,
          MESSAGES, PAUSE_MS, growthWhilePaused, growth);
      assertThat(s.getCode()).isEqualTo(Status.Code.OK);
      assertThat(call.received.get()).isEqualTo(MESSAGES);
      assertThat(call.outOfOrder.get()).isZero();
      // Windows on the way: client and backend 64 KiB-1 MiB each, the proxy 1 MiB per stream.
      assertThat((long) sentWhilePaused * SIZE).as("bytes the sender got out while the reader"
          + " paused").isLessThan(16 * MIB);
      assertThat(growth).as("proxy direct memory growth").isLessThan(MEMORY_BOUND);
    }
  }

  @Test
  void aServerStreamToASlowClientKeepsProxyMemoryBounded() throws Exception {
    long before = fx.backend.streamSent.get();
    Call call = new Call(GrpcMethods.serverStream(GrpcMethods.TEST), false);
    try (DirectMemoryPeak peak = new DirectMemoryPeak("grpc-stream-direct-memory")) {
      call.start(utf8(MESSAGES + ":" + SIZE));
      Thread.sleep(PAUSE_MS);
      long sentWhilePaused = fx.backend.streamSent.get() - before;
      long growthWhilePaused = peak.growth();
      call.consume();
      Status s = call.closed.get(60, TimeUnit.SECONDS);
      long growth = peak.growth();
      System.out.printf("gRPC server stream, slow client: backend sent %d of %d messages during"
          + " the %d ms pause; proxy direct memory growth %,d bytes paused, %,d bytes overall%n",
          sentWhilePaused, MESSAGES, PAUSE_MS, growthWhilePaused, growth);
      assertThat(s.getCode()).isEqualTo(Status.Code.OK);
      assertThat(call.received.get()).isEqualTo(MESSAGES);
      assertThat(call.outOfOrder.get()).isZero();
      assertThat(sentWhilePaused * SIZE).as("bytes the backend got out while the client paused")
          .isLessThan(8 * MIB);
      assertThat(growth).as("proxy direct memory growth").isLessThan(MEMORY_BOUND);
    }
  }

  /**
   * A call with manual flow control: asks for no response message until {@link #consume}; on a bidi
   * stream sends {@link #MESSAGES} numbered messages, each only while the call is ready.
   */
  private final class Call extends ClientCall.Listener<byte[]> {
    final AtomicInteger sent = new AtomicInteger();
    final AtomicInteger received = new AtomicInteger();
    final AtomicInteger outOfOrder = new AtomicInteger();
    final CompletableFuture<Status> closed = new CompletableFuture<>();
    private final ClientCall<byte[], byte[]> call;
    private final boolean send;

    Call(MethodDescriptor<byte[], byte[]> method, boolean send) {
      this.call = channel.newCall(method, CallOptions.DEFAULT);
      this.send = send;
    }

    void start(byte[] request) {
      call.start(this, new Metadata());
      if (request != null) {
        call.sendMessage(request);
        call.halfClose();
      } else {
        onReady();
      }
    }

    void consume() {
      call.request(Integer.MAX_VALUE);
    }

    @Override
    public synchronized void onReady() {
      if (!send) {
        return;
      }
      while (call.isReady() && sent.get() < MESSAGES) {
        byte[] m = new byte[SIZE];
        ByteBuffer.wrap(m).putInt(sent.get());
        call.sendMessage(m);
        if (sent.incrementAndGet() == MESSAGES) {
          call.halfClose();
        }
      }
    }

    @Override
    public void onMessage(byte[] message) {
      int n = received.getAndIncrement();
      int index = send ? ByteBuffer.wrap(message).getInt() : message[0] & 0xff;
      if (index != (send ? n : n & 0xff) || message.length != SIZE) {
        outOfOrder.incrementAndGet();
      }
    }

    @Override
    public void onClose(Status status, Metadata trailers) {
      closed.complete(status);
    }
  }
}
