package io.gatehouse.proxy.grpc;

import static io.gatehouse.proxy.grpc.GrpcMethods.text;
import static io.gatehouse.proxy.grpc.GrpcMethods.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.gatehouse.proxy.ProxyOptions;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The proxy's multiplexed h2c connections to a gRPC backend: the backend's
 * SETTINGS_MAX_CONCURRENT_STREAMS is honoured (more connections, bounded), a GOAWAY moves new calls
 * to a new connection while the old one finishes its calls, and a backend restart is recovered
 * from.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class GrpcUpstreamPoolIT {
  private static final ProxyOptions ONE_LOOP = new ProxyOptions(0, 1, Duration.ofSeconds(2),
      Duration.ofSeconds(1));

  /**
   * The backend allows 5 concurrent streams per connection; 20 calls held open at once through one
   * proxy event loop all reach it, over at least 4 connections, and a further call still works.
   */
  @Test
  void maxConcurrentStreamsIsHonouredWithMoreConnections() throws Exception {
    try (GrpcFixture fx = new GrpcFixture(
        new GrpcBackend(0, b -> b.maxConcurrentCallsPerConnection(5)), ONE_LOOP)) {
      ManagedChannel channel = fx.h2c();
      List<ClientCall<byte[], byte[]>> calls = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        calls.add(hold(channel, "mcs-" + i));
      }
      for (int i = 0; i < 20; i++) {
        assertThat(fx.backend.awaitArrival("mcs-" + i, 5000)).as("call %d reached the backend", i)
            .isTrue();
      }
      assertThat(fx.backend.connections.get()).isBetween(4L, 8L);
      assertThat(echo(channel, "more")).isEqualTo("more");
      calls.forEach(c -> c.cancel("done", null));
      assertThat(echo(channel, "after")).isEqualTo("after");
    }
  }

  /**
   * The backend allows one stream per connection: eight calls held at once take the eight
   * connections a loop may open to it; the ninth fails at once with UNAVAILABLE rather than
   * waiting, and calls work again once the held ones end.
   */
  @Test
  void theConnectionsPerEndpointAreBounded() throws Exception {
    try (GrpcFixture fx = new GrpcFixture(
        new GrpcBackend(0, b -> b.maxConcurrentCallsPerConnection(1)), ONE_LOOP)) {
      ManagedChannel channel = fx.h2c();
      List<ClientCall<byte[], byte[]>> calls = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        calls.add(hold(channel, "bound-" + i));
        assertThat(fx.backend.awaitArrival("bound-" + i, 5000)).as("call %d", i).isTrue();
      }
      StatusRuntimeException full = catchThrowableOfType(StatusRuntimeException.class,
          () -> echo(channel, "ninth"));
      assertThat(full.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(full.getStatus().getDescription()).isEqualTo("upstream stream limit reached");
      assertThat(fx.backend.connections.get()).isEqualTo(8);
      calls.forEach(c -> c.cancel("done", null));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      String after = null;
      while (after == null && System.nanoTime() < deadline) {
        try {
          after = echo(channel, "after");
        } catch (StatusRuntimeException e) {
          Thread.sleep(20); // the cancels' resets are on their way
        }
      }
      assertThat(after).isEqualTo("after");
    }
  }

  /**
   * The backend sends GOAWAY after a connection's maximum age (grpc-java {@code maxConnectionAge})
   * while a call on it is still open: the next calls go over a new connection and succeed; the open
   * call is not cut.
   */
  @Test
  void aGoAwayMovesNewCallsToANewConnection() throws Exception {
    try (GrpcFixture fx = new GrpcFixture(new GrpcBackend(0,
        b -> b.maxConnectionAge(500, TimeUnit.MILLISECONDS)
            .maxConnectionAgeGrace(30, TimeUnit.SECONDS)),
        ONE_LOOP)) {
      ManagedChannel channel = fx.h2c();
      ClientCall<byte[], byte[]> held = hold(channel, "goaway-held");
      assertThat(fx.backend.awaitArrival("goaway-held", 5000)).isTrue();
      Thread.sleep(1500); // the age passed: GOAWAY sent, the held call keeps its connection
      for (int i = 0; i < 5; i++) {
        assertThat(echo(channel, "after goaway " + i)).isEqualTo("after goaway " + i);
      }
      assertThat(fx.backend.connections.get()).isGreaterThanOrEqualTo(2);
      assertThat(fx.backend.cancelledAt).doesNotContainKey("goaway-held");
      held.cancel("done", null);
    }
  }

  /** The backend goes away (calls get UNAVAILABLE) and comes back on its port: calls work again. */
  @Test
  void aBackendRestartIsRecoveredFrom() throws Exception {
    int port = GrpcFixture.freePort();
    try (GrpcFixture fx = new GrpcFixture(new GrpcBackend(port, b -> b), ONE_LOOP)) {
      ManagedChannel channel = fx.h2c();
      assertThat(echo(channel, "before")).isEqualTo("before");
      fx.backend.kill();
      StatusRuntimeException down = catchThrowableOfType(StatusRuntimeException.class,
          () -> echo(channel, "down"));
      assertThat(down.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
      try (GrpcBackend again = new GrpcBackend(port, b -> b)) {
        assertThat(echo(channel, "again")).isEqualTo("again");
      }
    }
  }

  /**
   * The backend dies while a server stream is half way: the client's stream is reset with
   * INTERNAL_ERROR, so the call ends with INTERNAL instead of hanging, looking complete or looking
   * cancelled.
   */
  @Test
  void aBackendDyingMidStreamEndsTheCallWithAnError() throws Exception {
    try (GrpcFixture fx = new GrpcFixture(new GrpcBackend(), ONE_LOOP)) {
      ManagedChannel channel = fx.h2c();
      java.util.Iterator<byte[]> it = ClientCalls.blockingServerStreamingCall(channel,
          GrpcMethods.serverStream(GrpcMethods.TEST),
          CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS), utf8("10000:8192"));
      for (int i = 0; i < 10; i++) {
        assertThat(it.next()).hasSize(8192);
      }
      fx.backend.kill();
      StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, () -> {
        int n = 10;
        while (it.hasNext()) {
          it.next();
          n++;
        }
        throw new AssertionError("the stream ended normally after " + n + " messages");
      });
      System.out.printf("gRPC backend died mid-stream: client saw %s%n", e.getStatus());
      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL); // RST INTERNAL_ERROR
    }
  }

  /** Starts a unary call the backend holds open (until cancelled), asking for its answer. */
  static ClientCall<byte[], byte[]> hold(ManagedChannel channel, String id) {
    ClientCall<byte[], byte[]> call = channel.newCall(GrpcMethods.unary(GrpcMethods.TEST),
        CallOptions.DEFAULT);
    call.start(new ClientCall.Listener<>() {
    }, new Metadata());
    call.sendMessage(utf8("hold:" + id));
    call.halfClose();
    call.request(1);
    return call;
  }

  private static String echo(ManagedChannel channel, String s) {
    return text(ClientCalls.blockingUnaryCall(channel, GrpcMethods.unary(GrpcMethods.TEST),
        CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), utf8("echo:" + s)));
  }
}
