package io.gatehouse.proxy.grpc;

import io.grpc.MethodDescriptor;
import io.grpc.MethodDescriptor.MethodType;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The methods of the test service, with raw bytes as messages (no protobuf in the proxy module).
 * Every method exists under two service names: {@code gh.Test} and {@code gh.Timed} (routed with a
 * request timeout), so one backend serves both routes.
 */
final class GrpcMethods {
  static final String TEST = "gh.Test";
  static final String TIMED = "gh.Timed";

  /** Messages are the bytes themselves. */
  static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
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

  private GrpcMethods() {
  }

  /** Answers a command (see {@link GrpcBackend}) with one message. */
  static MethodDescriptor<byte[], byte[]> unary(String service) {
    return method(service, "Unary", MethodType.UNARY);
  }

  /** Request {@code n:size}: n messages of size bytes, sent as fast as flow control allows. */
  static MethodDescriptor<byte[], byte[]> serverStream(String service) {
    return method(service, "ServerStream", MethodType.SERVER_STREAMING);
  }

  /** Answers the number of messages and bytes received, {@code count:bytes}. */
  static MethodDescriptor<byte[], byte[]> clientStream(String service) {
    return method(service, "ClientStream", MethodType.CLIENT_STREAMING);
  }

  /** Echoes each message as it arrives. */
  static MethodDescriptor<byte[], byte[]> bidi(String service) {
    return method(service, "Bidi", MethodType.BIDI_STREAMING);
  }

  private static MethodDescriptor<byte[], byte[]> method(String service, String name,
      MethodType type) {
    return MethodDescriptor.<byte[], byte[]>newBuilder().setType(type)
        .setFullMethodName(MethodDescriptor.generateFullMethodName(service, name))
        .setRequestMarshaller(BYTES).setResponseMarshaller(BYTES).build();
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }
}
