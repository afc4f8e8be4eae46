package io.gatehouse.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.testing.grpc.echo.Assertions;
import io.gatehouse.testing.grpc.echo.EchoRequest;
import io.gatehouse.testing.grpc.echo.GrpcEchoGrpc;
import io.gatehouse.testing.grpc.echo.TLSAssertions;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The grpc-infra-backend pods of the base manifests (HARNESS.md §3.2) as {@link EchoPods} runs
 * them: h2c on 3000 of each pod address, and on grpc-infra-backend-v1 also TLS with ALPN h2 on 8443
 * with the generated {@code tls-checks-certificate}, reporting the handshake.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GrpcEchoPodsTest {
  private static final String INFRA = "gateway-conformance-infra";
  private static GeneratedCertificates certs;
  private static EchoPods pods;
  private static List<Pod> v1;
  private static List<Pod> v2;

  @BeforeAll
  static void start() {
    certs = GeneratedCertificates.generate();
    pods = new EchoPods(certs::value);
    Path base = Path.of(System.getProperty("conformance.dir", "../../shared/conformance"))
        .resolve("manifests/base/manifests.yaml");
    v1 = pods.podsOf(deployment(base, "grpc-infra-backend-v1"));
    v2 = pods.podsOf(deployment(base, "grpc-infra-backend-v2"));
    pods.start(v1);
    pods.start(v2);
  }

  @AfterAll
  static void stop() {
    pods.close();
  }

  private static ObjectNode deployment(Path base, String name) {
    return Yaml.readAll(base).stream()
        .filter(o -> o.path("kind").asText().equals("Deployment")
            && o.path("metadata").path("name").asText().equals(name))
        .findFirst().orElseThrow();
  }

  private static Assertions echo(String ip, int port, ChannelCredentials creds, String authority)
      throws InterruptedException {
    ManagedChannel ch = Grpc.newChannelBuilderForAddress(ip, port, creds)
        .overrideAuthority(authority).build();
    try {
      return GrpcEchoGrpc.newBlockingStub(ch).withDeadlineAfter(10, TimeUnit.SECONDS)
          .echo(EchoRequest.getDefaultInstance()).getAssertions();
    } finally {
      ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void everyPodAnswersOnItsOwnAddressWithItsName() throws Exception {
    assertThat(v1).hasSize(2).allMatch(p -> p.mode() == Pod.Mode.GRPC_ECHO);
    for (Pod p : List.of(v1.get(0), v1.get(1), v2.get(0))) {
      Assertions a = echo(p.ip(), EchoPods.HTTP_PORT, InsecureChannelCredentials.create(),
          p.ip() + ":8080");
      assertThat(a.getContext().getPod()).isEqualTo(p.name());
      assertThat(a.getContext().getNamespace()).isEqualTo(INFRA);
      assertThat(a.getAuthority()).isEqualTo(p.ip() + ":8080");
      assertThat(a.hasTlsAssertions()).isFalse();
    }
    assertThat(pods.logLinesOf(v2.get(0).name())).anyMatch(l -> l.startsWith(
        "Echoing back request made to /" + GrpcChecks.SERVICE + "/Echo to client"));
  }

  @Test
  void v1ServesTlsWithTheGeneratedCertificateAndReportsTheHandshake() throws Exception {
    String ca = certs.value("ConfigMap/" + INFRA + "/tls-checks-ca-certificate/ca.crt");
    ChannelCredentials tls = TlsChannelCredentials.newBuilder()
        .trustManager(new ByteArrayInputStream(ca.getBytes(StandardCharsets.US_ASCII))).build();
    Pod pod = v1.get(0);
    Assertions a = echo(pod.ip(), 8443, tls, "abc.example.com");
    assertThat(a.getContext().getPod()).isEqualTo(pod.name());
    TLSAssertions t = a.getTlsAssertions();
    assertThat(t.getServerName()).isEqualTo("abc.example.com");
    assertThat(t.getNegotiatedProtocol()).isEqualTo("h2");
    assertThat(t.getVersion()).isIn("TLSv1.3", "TLSv1.2");
    assertThat(t.getCipherSuite()).startsWith("TLS_");
    assertThat(t.getPeerCertificatesList()).as("no client certificate was asked for").isEmpty();
    assertThat(pods.grpcServersOf(v2.get(0).name())).as("v2 has no certificate").hasSize(1);
  }
}
