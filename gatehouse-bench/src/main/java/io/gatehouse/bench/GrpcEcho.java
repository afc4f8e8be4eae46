package io.gatehouse.bench;

import io.grpc.MethodDescriptor;
import io.grpc.MethodDescriptor.MethodType;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.LongAdder;

/**
 * The gRPC service of {@link GrpcBench}, without protobuf: messages are raw bytes (a {@code byte[]}
 * marshaller), which is all the wire format needs (gRPC frames each message with a 5-byte prefix
 * whatever it holds).
 *
 * <ul>
 * <li>{@code gatehouse.bench.Echo/Unary}: returns the request's bytes;
 * <li>{@code gatehouse.bench.Echo/Stream}: bidirectional; returns each message as it arrives and
 * completes when the client half-closes. The server reads the next message only once its outbound
 * side is ready ({@code isReady}, manual inbound flow control), so a slow reader slows the writer
 * through HTTP/2 flow control instead of filling a buffer.
 * </ul>
 */
public final class GrpcEcho {
  public static final String SERVICE = "gatehouse.bench.Echo";

  /** Marshals a message as its own bytes. */
  public static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  };

  public static final MethodDescriptor<byte[], byte[]> UNARY = method("Unary", MethodType.UNARY);
  public static final MethodDescriptor<byte[], byte[]> STREAM = method("Stream",
      MethodType.BIDI_STREAMING);

  /** Unary calls and stream messages the server has answered (read by its owner). */
  public final LongAdder unaryCalls = new LongAdder();
  public final LongAdder streamMessages = new LongAdder();

  private static MethodDescriptor<byte[], byte[]> method(String name, MethodType type) {
    return MethodDescriptor.<byte[], byte[]>newBuilder().setType(type)
        .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, name))
        .setRequestMarshaller(BYTES).setResponseMarshaller(BYTES).build();
  }

  /** The service definition, to add to any server. */
  public ServerServiceDefinition service() {
    return ServerServiceDefinition.builder(SERVICE)
        .addMethod(UNARY, ServerCalls.asyncUnaryCall((request, response) -> {
          response.onNext(request);
          response.onCompleted();
          unaryCalls.increment();
        }))
        .addMethod(STREAM, ServerCalls.asyncBidiStreamingCall(this::echoStream))
        .build();
  }

  private StreamObserver<byte[]> echoStream(StreamObserver<byte[]> responses) {
    ServerCallStreamObserver<byte[]> out = (ServerCallStreamObserver<byte[]>) responses;
    out.disableAutoRequest();
    // Callbacks of one call never run concurrently, so plain fields suffice.
    final class Echo implements StreamObserver<byte[]>, Runnable {
      private boolean waitingForReady;

      @Override
      public void run() { // onReady: resume reading if a message waited for it
        if (waitingForReady && out.isReady()) {
          waitingForReady = false;
          out.request(1);
        }
      }

      @Override
      public void onNext(byte[] message) {
        out.onNext(message);
        streamMessages.increment();
        if (out.isReady()) {
          out.request(1);
        } else {
          waitingForReady = true;
        }
      }

      @Override
      public void onError(Throwable t) {
        // the client cancelled or the connection went; nothing to clean up
      }

      @Override
      public void onCompleted() {
        out.onCompleted();
      }
    }
    Echo echo = new Echo();
    out.setOnReadyHandler(echo);
    out.request(1);
    return echo;
  }

  /**
   * Starts an h2c (plaintext, prior knowledge) server on {@code 127.0.0.1:port} (0 for any free
   * port) that runs the calls on its Netty threads.
   */
  public Server start(int port) throws IOException {
    return NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
        .directExecutor().addService(service()).build().start();
  }
}
