package io.gatehouse.proxy.grpc;

import static io.gatehouse.proxy.grpc.GrpcMethods.text;
import static io.gatehouse.proxy.grpc.GrpcMethods.utf8;

import io.grpc.Attributes;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServerTransportFilter;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/**
 * A grpc-java server (its own shaded Netty) on 127.0.0.1 serving the {@link GrpcMethods} under both
 * service names. What the proxy's tests look at from the backend's side is recorded: when a call
 * was cancelled (the upstream stream reset), how many messages a stream sent, the deadline a call
 * arrived with.
 *
 * <p>
 * Unary commands: {@code echo:X} answers X; {@code deadline} answers the call's remaining deadline
 * in milliseconds or {@code none}; {@code fail:CODE:MESSAGE} closes with that status and the custom
 * trailers {@code x-custom} and {@code x-trace-bin} and no message (a trailers-only response);
 * {@code fail-after:CODE:MESSAGE} sends one message first; {@code hold:ID} never answers.
 */
final class GrpcBackend implements AutoCloseable {
  static final Metadata.Key<String> CUSTOM = Metadata.Key.of("x-custom",
      Metadata.ASCII_STRING_MARSHALLER);
  static final Metadata.Key<byte[]> TRACE_BIN = Metadata.Key.of("x-trace-bin",
      Metadata.BINARY_BYTE_MARSHALLER);
  static final byte[] TRACE = {0, 1, 2, (byte) 0xfe, (byte) 0xff, '\n', ':'};

  private final Server server;
  /** Held call id → when it was cancelled (System.nanoTime). */
  final Map<String, Long> cancelledAt = new ConcurrentHashMap<>();
  /** Held call id → counted down when it arrived. */
  private final Map<String, CountDownLatch> arrived = new ConcurrentHashMap<>();
  /** Messages sent by server streams and bidi echoes. */
  final AtomicLong streamSent = new AtomicLong();
  /** Messages received by bidi calls. */
  final AtomicLong bidiReceived = new AtomicLong();
  /** Bidi calls cancelled, with the nanoTime of the last. */
  final AtomicLong bidiCancelledAt = new AtomicLong();

  /** Connections the backend accepted. */
  final AtomicLong connections = new AtomicLong();

  GrpcBackend() {
    this(0, b -> b);
  }

  /** On {@code port} (0: any free one), with {@code options} applied to the server. */
  GrpcBackend(int port, UnaryOperator<NettyServerBuilder> options) {
    NettyServerBuilder b = options.apply(
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port)));
    b.addTransportFilter(new ServerTransportFilter() {
      @Override
      public Attributes transportReady(Attributes attributes) {
        connections.incrementAndGet();
        return attributes;
      }
    });
    for (String service : new String[]{GrpcMethods.TEST, GrpcMethods.TIMED}) {
      b.addService(ServerServiceDefinition.builder(service)
          .addMethod(GrpcMethods.unary(service), ServerCalls.asyncUnaryCall(this::unary))
          .addMethod(GrpcMethods.serverStream(service),
              ServerCalls.asyncServerStreamingCall(this::serverStream))
          .addMethod(GrpcMethods.clientStream(service),
              ServerCalls.asyncClientStreamingCall(this::clientStream))
          .addMethod(GrpcMethods.bidi(service), ServerCalls.asyncBidiStreamingCall(this::bidi))
          .build());
    }
    try {
      server = b.build().start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  int port() {
    return server.getPort();
  }

  /** Waits until the held call {@code id} reached the backend. */
  boolean awaitArrival(String id, long millis) throws InterruptedException {
    return arrived.computeIfAbsent(id, k -> new CountDownLatch(1)).await(millis,
        TimeUnit.MILLISECONDS);
  }

  private void unary(byte[] request, StreamObserver<byte[]> out) {
    String cmd = text(request);
    ServerCallStreamObserver<byte[]> call = (ServerCallStreamObserver<byte[]>) out;
    if (cmd.startsWith("echo:")) {
      out.onNext(utf8(cmd.substring(5)));
      out.onCompleted();
    } else if (cmd.equals("deadline")) {
      Deadline d = Context.current().getDeadline();
      out.onNext(utf8(d == null ? "none" : Long.toString(d.timeRemaining(TimeUnit.MILLISECONDS))));
      out.onCompleted();
    } else if (cmd.startsWith("fail:") || cmd.startsWith("fail-after:")) {
      String[] p = cmd.split(":", 3);
      if (p[0].equals("fail-after")) {
        out.onNext(utf8("partial"));
      }
      Metadata trailers = new Metadata();
      trailers.put(CUSTOM, "custom value");
      trailers.put(TRACE_BIN, TRACE);
      out.onError(Status.fromCodeValue(Integer.parseInt(p[1])).withDescription(p[2])
          .asRuntimeException(trailers));
    } else if (cmd.startsWith("hold:")) {
      String id = cmd.substring(5);
      call.setOnCancelHandler(() -> cancelledAt.put(id, System.nanoTime()));
      arrived.computeIfAbsent(id, k -> new CountDownLatch(1)).countDown();
    } else {
      out.onError(Status.INVALID_ARGUMENT.withDescription("unknown command").asRuntimeException());
    }
  }

  /** {@code n:size}: n messages of size bytes, each sent only while the call is ready. */
  private void serverStream(byte[] request, StreamObserver<byte[]> out) {
    String[] p = text(request).split(":");
    int n = Integer.parseInt(p[0]);
    byte[] message = new byte[Integer.parseInt(p[1])];
    ServerCallStreamObserver<byte[]> call = (ServerCallStreamObserver<byte[]>) out;
    int[] sent = {0};
    boolean[] finished = {false};
    Runnable drain = () -> {
      while (call.isReady() && sent[0] < n && !call.isCancelled()) {
        message[0] = (byte) sent[0];
        out.onNext(message);
        sent[0]++;
        streamSent.incrementAndGet();
      }
      if (sent[0] == n && !finished[0]) {
        finished[0] = true;
        out.onCompleted();
      }
    };
    call.setOnCancelHandler(() -> {
    });
    call.setOnReadyHandler(drain);
    drain.run();
  }

  private StreamObserver<byte[]> clientStream(StreamObserver<byte[]> out) {
    return new StreamObserver<>() {
      long count;
      long bytes;

      @Override
      public void onNext(byte[] value) {
        count++;
        bytes += value.length;
      }

      @Override
      public void onError(Throwable t) {
      }

      @Override
      public void onCompleted() {
        out.onNext(utf8(count + ":" + bytes));
        out.onCompleted();
      }
    };
  }

  /**
   * Echoes each message; asks for the next request message only while the response side is ready,
   * so a client that does not read its responses stops this call reading, and so stops the client
   * (flow control end to end).
   */
  private StreamObserver<byte[]> bidi(StreamObserver<byte[]> out) {
    ServerCallStreamObserver<byte[]> call = (ServerCallStreamObserver<byte[]>) out;
    call.disableAutoRequest();
    boolean[] waiting = {false};
    call.setOnReadyHandler(() -> {
      if (waiting[0] && call.isReady()) {
        waiting[0] = false;
        call.request(1);
      }
    });
    call.setOnCancelHandler(() -> bidiCancelledAt.set(System.nanoTime()));
    call.request(1);
    return new StreamObserver<>() {
      @Override
      public void onNext(byte[] value) {
        bidiReceived.incrementAndGet();
        out.onNext(value);
        streamSent.incrementAndGet();
        if (call.isReady()) {
          call.request(1);
        } else {
          waiting[0] = true;
        }
      }

      @Override
      public void onError(Throwable t) {
      }

      @Override
      public void onCompleted() {
        out.onCompleted();
      }
    };
  }

  /** Stops at once: open calls are cut (their connections closed). */
  void kill() throws InterruptedException {
    server.shutdownNow();
    server.awaitTermination(5, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    kill();
  }
}
