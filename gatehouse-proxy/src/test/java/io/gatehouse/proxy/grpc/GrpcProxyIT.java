package io.gatehouse.proxy.grpc;

import static io.gatehouse.proxy.grpc.GrpcMethods.text;
import static io.gatehouse.proxy.grpc.GrpcMethods.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.gatehouse.proxy.RawH2;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.Http2Headers;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A real grpc-java client and server through the proxy, over h2c prior knowledge and over TLS with
 * ALPN h2 downstream, h2c upstream: the four call shapes, full duplex, trailers relayed exactly
 * (status, percent-encoded message, custom and binary trailers, trailers-only responses), and the
 * gRPC-shaped answers the proxy gives itself.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GrpcProxyIT {
  private static final String T = GrpcMethods.TEST;
  private GrpcFixture fx;
  private ManagedChannel h2c;
  private ManagedChannel tls;

  @BeforeAll
  void start() {
    fx = new GrpcFixture();
    h2c = fx.h2c();
    tls = fx.tls();
  }

  @AfterAll
  void stop() throws InterruptedException {
    fx.close();
  }

  private ManagedChannel channel(String transport) {
    return transport.equals("tls") ? tls : h2c;
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2c", "tls"})
  void unaryCallsAreRelayed(String transport) {
    byte[] reply = ClientCalls.blockingUnaryCall(channel(transport), GrpcMethods.unary(T),
        CallOptions.DEFAULT, utf8("echo:hello " + transport));
    assertThat(text(reply)).isEqualTo("hello " + transport);
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2c", "tls"})
  void serverStreamsArriveWhole(String transport) {
    Iterator<byte[]> it = ClientCalls.blockingServerStreamingCall(channel(transport),
        GrpcMethods.serverStream(T), CallOptions.DEFAULT, utf8("200:1000"));
    int n = 0;
    while (it.hasNext()) {
      byte[] m = it.next();
      assertThat(m).hasSize(1000);
      assertThat(m[0]).isEqualTo((byte) n);
      n++;
    }
    assertThat(n).isEqualTo(200);
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2c", "tls"})
  void clientStreamsArriveWhole(String transport) throws Exception {
    CompletableFuture<byte[]> result = new CompletableFuture<>();
    StreamObserver<byte[]> out = ClientCalls.asyncClientStreamingCall(
        channel(transport).newCall(GrpcMethods.clientStream(T), CallOptions.DEFAULT),
        observer(result, new ArrayList<>()));
    for (int i = 0; i < 300; i++) {
      out.onNext(new byte[i]);
    }
    out.onCompleted();
    assertThat(text(result.get(10, TimeUnit.SECONDS))).isEqualTo("300:" + (299 * 300 / 2));
  }

  /**
   * Ping-pong: each message is sent only after the reply to the previous one arrived, with the
   * request stream open all along. A proxy that waited for the end of the request before relaying
   * the response would stall at the first round.
   */
  @ParameterizedTest
  @ValueSource(strings = {"h2c", "tls"})
  void bidiStreamsAreFullDuplex(String transport) throws Exception {
    BlockingQueue<byte[]> replies = new ArrayBlockingQueue<>(16);
    CompletableFuture<Status> closed = new CompletableFuture<>();
    StreamObserver<byte[]> out = ClientCalls.asyncBidiStreamingCall(
        channel(transport).newCall(GrpcMethods.bidi(T), CallOptions.DEFAULT),
        GrpcDeadlineIT.collect(replies, closed));
    for (int i = 0; i < 50; i++) {
      out.onNext(utf8("ping " + i));
      byte[] reply = replies.poll(5, TimeUnit.SECONDS);
      assertThat(reply).as("reply %d while the request stream is open", i).isNotNull();
      assertThat(text(reply)).isEqualTo("ping " + i);
    }
    assertThat(closed).isNotDone();
    out.onCompleted();
    assertThat(closed.get(5, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.OK);
  }

  /**
   * A status with a message that needs percent-encoding, an ASCII and a binary custom trailer, in a
   * trailers-only response (no message before the status).
   */
  @ParameterizedTest
  @ValueSource(strings = {"h2c", "tls"})
  void trailersOnlyErrorsKeepCodeMessageAndCustomTrailers(String transport) {
    String message = "naïve % 100/\r\n \u00e9t\u00e9 \uD83D\uDE00 done";
    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
        () -> ClientCalls.blockingUnaryCall(channel(transport), GrpcMethods.unary(T),
            CallOptions.DEFAULT, utf8("fail:9:" + message)));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(e.getStatus().getDescription()).isEqualTo(message);
    Metadata trailers = e.getTrailers();
    assertThat(trailers.get(GrpcBackend.CUSTOM)).isEqualTo("custom value");
    assertThat(trailers.get(GrpcBackend.TRACE_BIN)).isEqualTo(GrpcBackend.TRACE);
  }

  /** The same after a response message: the status comes in trailers after DATA. */
  @ParameterizedTest
  @ValueSource(strings = {"h2c", "tls"})
  void errorsAfterMessagesKeepCodeMessageAndCustomTrailers(String transport) throws Exception {
    CompletableFuture<byte[]> result = new CompletableFuture<>();
    List<byte[]> messages = new ArrayList<>();
    ClientCalls.asyncUnaryCall(
        channel(transport).newCall(GrpcMethods.unary(T), CallOptions.DEFAULT),
        utf8("fail-after:8:quota: 5% left"), observer(result, messages));
    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, () -> {
      try {
        result.get(10, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException x) {
        throw x.getCause();
      }
    });
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(e.getStatus().getDescription()).isEqualTo("quota: 5% left");
    assertThat(e.getTrailers().get(GrpcBackend.CUSTOM)).isEqualTo("custom value");
    assertThat(e.getTrailers().get(GrpcBackend.TRACE_BIN)).isEqualTo(GrpcBackend.TRACE);
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2c", "tls"})
  void aMethodWithoutRouteIsUnimplemented(String transport) {
    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
        () -> ClientCalls.blockingUnaryCall(channel(transport), GrpcMethods.unary("gh.Missing"),
            CallOptions.DEFAULT, utf8("echo:x")));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED);
    assertThat(e.getStatus().getDescription()).isEqualTo("route not found");
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2c", "tls"})
  void aBackendThatIsDownIsUnavailable(String transport) {
    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
        () -> ClientCalls.blockingUnaryCall(channel(transport), GrpcMethods.unary("gh.Down"),
            CallOptions.DEFAULT, utf8("echo:x")));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(e.getStatus().getDescription()).isEqualTo("upstream connect error");
  }

  /**
   * On the wire: a local answer and a backend's trailers-only response are each one HEADERS frame
   * with END_STREAM, {@code :status 200}, {@code content-type application/grpc} and the status.
   */
  @Test
  void trailersOnlyResponsesAreOneHeadersFrameWithEndStream() throws Exception {
    try (RawH2 raw = new RawH2("127.0.0.1", fx.h2cPort)) {
      DefaultHttp2HeadersDecoder decoder = new DefaultHttp2HeadersDecoder(true);
      raw.headers(1, true, ":method", "POST", ":scheme", "http", ":path", "/gh.Missing/Unary",
          ":authority", "grpc.test", "content-type", "application/grpc", "te", "trailers");
      Http2Headers local = trailersOnly(raw, decoder, 1);
      assertThat(local.get("grpc-status").toString()).isEqualTo("12");
      assertThat(local.get("grpc-message").toString()).isEqualTo("route not found");

      raw.headers(3, false, ":method", "POST", ":scheme", "http", ":path", "/gh.Test/Unary",
          ":authority", "grpc.test", "content-type", "application/grpc", "te", "trailers");
      byte[] cmd = utf8("fail:5:not here");
      byte[] frame = new byte[5 + cmd.length];
      frame[4] = (byte) cmd.length;
      System.arraycopy(cmd, 0, frame, 5, cmd.length);
      raw.frame(RawH2.DATA, RawH2.END_STREAM, 3, frame);
      Http2Headers backend = trailersOnly(raw, decoder, 3);
      assertThat(backend.get("grpc-status").toString()).isEqualTo("5");
      assertThat(backend.get("grpc-message").toString()).isEqualTo("not here");
      assertThat(backend.get("x-custom").toString()).isEqualTo("custom value");
    }
  }

  private static Http2Headers trailersOnly(RawH2 raw, DefaultHttp2HeadersDecoder decoder,
      int stream) throws Exception {
    RawH2.Frame f;
    do {
      f = raw.read();
      assertThat(f.type() == RawH2.DATA && f.stream() == stream).as("DATA on stream %d", stream)
          .isFalse();
    } while (f.type() != RawH2.HEADERS || f.stream() != stream);
    assertThat(f.flags() & RawH2.END_STREAM).as("END_STREAM on the only HEADERS").isNotZero();
    Http2Headers h = decoder.decodeHeaders(stream, Unpooled.wrappedBuffer(f.payload()));
    assertThat(h.status().toString()).isEqualTo("200");
    assertThat(h.get("content-type").toString()).startsWith("application/grpc");
    return h;
  }

  static <T> StreamObserver<T> observer(CompletableFuture<T> last, List<T> all) {
    return new StreamObserver<>() {
      T latest;

      @Override
      public void onNext(T value) {
        all.add(value);
        latest = value;
      }

      @Override
      public void onError(Throwable t) {
        last.completeExceptionally(t);
      }

      @Override
      public void onCompleted() {
        last.complete(latest);
      }
    };
  }
}
