package io.gatehouse.testing;

import io.gatehouse.testing.GrpcCallInfoInterceptor.CallInfo;
import io.gatehouse.testing.grpc.echo.Assertions;
import io.gatehouse.testing.grpc.echo.Context;
import io.gatehouse.testing.grpc.echo.EchoRequest;
import io.gatehouse.testing.grpc.echo.EchoResponse;
import io.gatehouse.testing.grpc.echo.GrpcEchoGrpc;
import io.gatehouse.testing.grpc.echo.Header;
import io.gatehouse.testing.grpc.echo.TLSAssertions;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Clock;

/**
 * The {@code GrpcEcho} service of HARNESS.md §3.2: {@code Echo} and {@code EchoTwo} answer an
 * {@code EchoResponse} with the request and the {@code assertions} (full method, every metadata
 * pair including {@code :authority}, the authority, the pod context and, on a TLS port, the
 * handshake); {@code EchoThree} keeps the generated base class' answer, UNIMPLEMENTED. Needs
 * {@link GrpcCallInfoInterceptor} in front of it. Stateless apart from the call log; thread-safe.
 */
final class GrpcEchoService extends GrpcEchoGrpc.GrpcEchoImplBase {
  private final Context context;
  private final RequestLog requestLog;
  private final Clock clock;

  GrpcEchoService(String podName, String namespace, String serviceName, RequestLog requestLog,
      Clock clock) {
    this.context = Context.newBuilder().setNamespace(namespace).setIngress("")
        .setServiceName(serviceName).setPod(podName).build();
    this.requestLog = requestLog;
    this.clock = clock;
  }

  @Override
  public void echo(EchoRequest request, StreamObserver<EchoResponse> response) {
    answer(request, response);
  }

  @Override
  public void echoTwo(EchoRequest request, StreamObserver<EchoResponse> response) {
    answer(request, response);
  }

  private void answer(EchoRequest request, StreamObserver<EchoResponse> response) {
    CallInfo call = GrpcCallInfoInterceptor.CALL.get();
    if (call == null) {
      response.onError(Status.INTERNAL
          .withDescription("GrpcEchoService runs without GrpcCallInfoInterceptor")
          .asRuntimeException());
      return;
    }
    String path = "/" + call.fullMethod();
    requestLog.add(new EchoRequestLog(clock.instant(), "POST", path, call.remoteAddress()));
    Assertions.Builder a = Assertions.newBuilder()
        .setFullyQualifiedMethod(path)
        .setAuthority(call.authority())
        .setContext(context);
    for (String[] h : call.headers()) {
      a.addHeaders(Header.newBuilder().setKey(h[0]).setValue(h[1]));
    }
    if (call.tls() != null) {
      EchoTlsInfo tls = call.tls();
      a.setTlsAssertions(TLSAssertions.newBuilder().setVersion(tls.version())
          .setNegotiatedProtocol(tls.negotiatedProtocol()).setServerName(tls.serverName())
          .setCipherSuite(tls.cipherSuite()).addAllPeerCertificates(tls.peerCertificates()));
    }
    response.onNext(EchoResponse.newBuilder().setAssertions(a).setRequest(request).build());
    response.onCompleted();
  }
}
