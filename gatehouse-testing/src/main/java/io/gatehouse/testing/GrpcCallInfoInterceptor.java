package io.gatehouse.testing;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLSession;
import org.jspecify.annotations.Nullable;

/**
 * Puts what the transport knows about a call into the gRPC {@link Context} for
 * {@link GrpcEchoService}: the full method name, {@code :authority}, every metadata pair, the
 * client's address and, on a TLS port, the handshake ({@link EchoTlsInfo}).
 */
final class GrpcCallInfoInterceptor implements ServerInterceptor {
  /** The current call, set for the duration of each call's listener callbacks. */
  static final Context.Key<CallInfo> CALL = Context.key("gatehouse-grpc-echo-call");

  /**
   * What a call carried.
   *
   * @param fullMethod {@code /package.Service/Method}
   * @param authority {@code :authority} as received ("" when absent)
   * @param headers {@code :authority} first, then every metadata pair in arrival order of keys;
   * binary ({@code -bin}) values base64-encoded
   * @param remoteAddress Go's {@code RemoteAddr} form of the client address
   * @param tls the handshake on a TLS port, else null
   */
  record CallInfo(String fullMethod, String authority, List<String[]> headers,
      String remoteAddress, @Nullable EchoTlsInfo tls) {
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
      ServerCallHandler<Q, R> next) {
    String authority = call.getAuthority() == null ? "" : call.getAuthority();
    CallInfo info = new CallInfo(call.getMethodDescriptor().getFullMethodName(), authority,
        pairs(authority, headers),
        remote(call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR)),
        tls(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION)));
    return Contexts.interceptCall(Context.current().withValue(CALL, info), call, headers, next);
  }

  private static List<String[]> pairs(String authority, Metadata headers) {
    List<String[]> out = new ArrayList<>();
    out.add(new String[]{":authority", authority});
    for (String key : headers.keys()) {
      if (key.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
        for (byte[] v : headers.getAll(Metadata.Key.of(key, Metadata.BINARY_BYTE_MARSHALLER))) {
          out.add(new String[]{key, Base64.getEncoder().encodeToString(v)});
        }
      } else {
        for (String v : headers.getAll(Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER))) {
          out.add(new String[]{key, v});
        }
      }
    }
    return out;
  }

  private static String remote(@Nullable SocketAddress address) {
    if (address instanceof InetSocketAddress a) {
      String host = a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress();
      return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
    }
    return address == null ? "" : address.toString();
  }

  /**
   * The handshake of a TLS call. The ALPN protocol is always {@code h2}: grpc-java's server TLS
   * negotiator fails any handshake that did not settle on h2, so no call arrives otherwise.
   */
  private static @Nullable EchoTlsInfo tls(@Nullable SSLSession session) {
    if (session == null) {
      return null;
    }
    String sni = null;
    if (session instanceof ExtendedSSLSession extended) {
      for (SNIServerName name : extended.getRequestedServerNames()) {
        if (name instanceof SNIHostName host) {
          sni = host.getAsciiName();
        }
      }
    }
    return EchoTlsInfo.of(session, sni, "h2");
  }
}
