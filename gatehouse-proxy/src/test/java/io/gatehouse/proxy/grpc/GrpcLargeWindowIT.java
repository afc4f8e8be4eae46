package io.gatehouse.proxy.grpc;

import static io.gatehouse.proxy.grpc.GrpcMethods.text;
import static io.gatehouse.proxy.grpc.GrpcMethods.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.MoreExecutors;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.ClientCalls;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Many concurrent unary calls on one downstream connection whose client has 1 MiB flow-control
 * windows, h2c upstream. With windows that large the proxy's HTTP/2 codec writes more than the
 * channel's high-water mark in one flush, so the downstream connection turns unwritable in the
 * middle of a frame; a flush at that point (Netty's FlushConsolidationHandler does one) completed
 * write promises whose listeners wrote the next queued upstream message between a DATA frame's
 * header and its payload, and the client saw frames that no longer lined up ("Frame length ...
 * exceeds maximum", HPACK errors). Every call must succeed with its own echo.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GrpcLargeWindowIT {
  private static final int WINDOW = 1 << 20;
  private static final int IN_FLIGHT = 100;
  private static final int CALLS = 20_000;
  /** Big enough that {@link #IN_FLIGHT} responses exceed the 64 KiB high-water mark. */
  private static final int PAYLOAD = 1000;

  private GrpcFixture fx;
  private ManagedChannel channel;

  @BeforeAll
  void start() {
    fx = new GrpcFixture();
    channel = fx.h2c(b -> b.initialFlowControlWindow(WINDOW).flowControlWindow(WINDOW));
  }

  @AfterAll
  void stop() throws InterruptedException {
    fx.close();
  }

  @Test
  void concurrentCallsOnOneConnectionWithLargeWindowsAllSucceed() throws Exception {
    Semaphore slots = new Semaphore(IN_FLIGHT);
    CountDownLatch finished = new CountDownLatch(CALLS);
    AtomicInteger ok = new AtomicInteger();
    AtomicInteger wrongEcho = new AtomicInteger();
    Map<Status.Code, AtomicInteger> failures = new ConcurrentHashMap<>();
    Map<String, String> firstFailure = new ConcurrentHashMap<>();
    String filler = "g".repeat(PAYLOAD);
    for (int i = 0; i < CALLS; i++) {
      if (!slots.tryAcquire(30, TimeUnit.SECONDS)) {
        break; // stalled: the assertions below report it
      }
      String expected = i + ":" + filler;
      Futures.addCallback(ClientCalls.futureUnaryCall(channel.newCall(GrpcMethods.unary(
          GrpcMethods.TEST), CallOptions.DEFAULT), utf8("echo:" + expected)),
          new FutureCallback<byte[]>() {
            @Override
            public void onSuccess(byte[] reply) {
              if (text(reply).equals(expected)) {
                ok.incrementAndGet();
              } else {
                wrongEcho.incrementAndGet();
              }
              done();
            }

            @Override
            public void onFailure(Throwable t) {
              Status s = Status.fromThrowable(t);
              failures.computeIfAbsent(s.getCode(), c -> new AtomicInteger()).incrementAndGet();
              firstFailure.putIfAbsent("first", String.valueOf(s));
              done();
            }

            private void done() {
              slots.release();
              finished.countDown();
            }
          }, MoreExecutors.directExecutor());
    }
    assertThat(finished.await(60, TimeUnit.SECONDS)).as("all calls finished").isTrue();
    System.out.printf("gRPC unary, %d in flight on one connection, 1 MiB windows: %d of %d ok,"
        + " failures %s, first %s%n", IN_FLIGHT, ok.get(), CALLS, failures,
        firstFailure.get("first"));
    assertThat(failures).as("failed calls by status (first: %s)", firstFailure.get("first"))
        .isEmpty();
    assertThat(wrongEcho.get()).as("calls answered with another call's echo").isZero();
    assertThat(ok.get()).isEqualTo(CALLS);
  }
}
