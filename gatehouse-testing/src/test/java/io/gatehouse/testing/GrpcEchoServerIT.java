package io.gatehouse.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.testing.grpc.echo.Assertions;
import io.gatehouse.testing.grpc.echo.EchoRequest;
import io.gatehouse.testing.grpc.echo.EchoResponse;
import io.gatehouse.testing.grpc.echo.GrpcEchoGrpc;
import io.gatehouse.testing.grpc.echo.Header;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The gRPC echo over h2c, answered to a generated grpc-java client: every assertion field,
 * UNIMPLEMENTED for EchoThree, server reflection, the call log. (The TLS port is tested in
 * gatehouse-conformance, which has the suite's generated certificates.)
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GrpcEchoServerIT {
  private static final String NAMESPACE = "gateway-conformance-infra";
  private static final String POD = "grpc-infra-backend-v1-7c9d8b5f6d-x2x9z";
  private static final String SERVICE = "gateway_api_conformance.echo_basic.grpcecho.GrpcEcho";

  private static GrpcEchoServer server;
  private static ManagedChannel channel;

  @BeforeAll
  static void start() {
    server = GrpcEchoServer.start(EchoOptions.of("127.0.0.1", 0, POD, NAMESPACE), "grpc-svc");
    channel = Grpc.newChannelBuilderForAddress("127.0.0.1", server.address().getPort(),
        InsecureChannelCredentials.create()).overrideAuthority("echo.example.com:8080").build();
  }

  @AfterAll
  static void stop() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.close();
  }

  private static GrpcEchoGrpc.GrpcEchoBlockingStub stub(String... pairs) {
    Metadata md = new Metadata();
    for (int i = 0; i < pairs.length; i += 2) {
      md.put(Metadata.Key.of(pairs[i], Metadata.ASCII_STRING_MARSHALLER), pairs[i + 1]);
    }
    return GrpcEchoGrpc.newBlockingStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md))
        .withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  @Test
  void echoReportsMethodAuthorityMetadataAndPod() {
    EchoResponse r = stub("x-header-set", "one", "x-header-add", "a").echo(EchoRequest
        .getDefaultInstance());
    Assertions a = r.getAssertions();
    assertThat(a.getFullyQualifiedMethod()).isEqualTo("/" + SERVICE + "/Echo");
    assertThat(a.getAuthority()).isEqualTo("echo.example.com:8080");
    assertThat(a.getHeadersList()).extracting(Header::getKey, Header::getValue)
        .contains(org.assertj.core.groups.Tuple.tuple(":authority", "echo.example.com:8080"),
            org.assertj.core.groups.Tuple.tuple("x-header-set", "one"),
            org.assertj.core.groups.Tuple.tuple("x-header-add", "a"));
    assertThat(a.getHeadersList().get(0).getKey()).isEqualTo(":authority");
    assertThat(a.getContext().getNamespace()).isEqualTo(NAMESPACE);
    assertThat(a.getContext().getPod()).isEqualTo(POD);
    assertThat(a.getContext().getServiceName()).isEqualTo("grpc-svc");
    assertThat(a.getContext().getIngress()).isEmpty();
    assertThat(a.hasTlsAssertions()).as("no TLS on the h2c port").isFalse();
    assertThat(r.hasRequest()).isTrue();
  }

  @Test
  void repeatedMetadataKeysAreAllReported() {
    Metadata md = new Metadata();
    Metadata.Key<String> key = Metadata.Key.of("x-multi", Metadata.ASCII_STRING_MARSHALLER);
    md.put(key, "1");
    md.put(key, "2");
    EchoResponse r = GrpcEchoGrpc.newBlockingStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md))
        .withDeadlineAfter(10, TimeUnit.SECONDS).echo(EchoRequest.getDefaultInstance());
    assertThat(r.getAssertions().getHeadersList()).filteredOn(h -> h.getKey().equals("x-multi"))
        .extracting(Header::getValue).containsExactly("1", "2");
  }

  @Test
  void echoTwoReportsItsOwnMethod() {
    assertThat(stub().echoTwo(EchoRequest.getDefaultInstance()).getAssertions()
        .getFullyQualifiedMethod()).isEqualTo("/" + SERVICE + "/EchoTwo");
  }

  @Test
  void echoThreeIsUnimplemented() {
    assertThatThrownBy(() -> stub().echoThree(EchoRequest.getDefaultInstance()))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED));
  }

  @Test
  void callsAreLoggedWithTheFullMethod() {
    stub().echo(EchoRequest.getDefaultInstance());
    List<EchoRequestLog> log = server.requests();
    assertThat(log).isNotEmpty();
    assertThat(log.get(log.size() - 1).logLine())
        .startsWith("Echoing back request made to /" + SERVICE + "/Echo to client (127.0.0.1:");
  }

  @Test
  void reflectionListsTheEchoService() throws Exception {
    CompletableFuture<ServerReflectionResponse> answer = new CompletableFuture<>();
    StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc.newStub(channel)
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .serverReflectionInfo(new StreamObserver<>() {
          @Override
          public void onNext(ServerReflectionResponse value) {
            answer.complete(value);
          }

          @Override
          public void onError(Throwable t) {
            answer.completeExceptionally(t);
          }

          @Override
          public void onCompleted() {
            answer.completeExceptionally(new IllegalStateException("no answer"));
          }
        });
    requests.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
    requests.onCompleted();
    assertThat(answer.get(10, TimeUnit.SECONDS).getListServicesResponse().getServiceList())
        .extracting(ServiceResponse::getName).contains(SERVICE);
  }
}
