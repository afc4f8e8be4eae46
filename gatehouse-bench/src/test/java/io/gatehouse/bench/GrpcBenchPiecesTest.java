package io.gatehouse.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.bench.GrpcLoad.Result;
import io.gatehouse.model.Endpoint;
import io.gatehouse.model.GatewayConfig;
import io.gatehouse.model.HttpListener;
import io.gatehouse.model.UpstreamProtocol;
import io.gatehouse.standalone.file.FileSource;
import io.gatehouse.translator.TranslationResult;
import io.gatehouse.translator.Translator;
import io.gatehouse.translator.TranslatorOptions;
import io.grpc.Server;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pieces of the gRPC benchmark work (no timing is asserted): the load client completes unary
 * calls and stream messages against the echo backend in this JVM without errors, the backend counts
 * what it answered, and the harness's configuration makes an h2c cluster to the backend.
 */
class GrpcBenchPiecesTest {
  private final GrpcEcho echo = new GrpcEcho();
  private Server server;

  @BeforeEach
  void start() throws Exception {
    server = echo.start(0);
  }

  @AfterEach
  void stop() throws Exception {
    server.shutdownNow();
    server.awaitTermination(10, TimeUnit.SECONDS);
  }

  @Test
  void unaryCallsAreAllAnswered() throws Exception {
    try (GrpcLoad load = new GrpcLoad(server.getPort(), 2)) {
      Result r = load.unary(8, new byte[100], 0.2, 0.5);
      assertThat(r.errors()).isEmpty();
      assertThat(r.sent()).isGreaterThanOrEqualTo(8);
      assertThat(r.answered()).isEqualTo(r.sent());
      assertThat(r.completed()).isLessThanOrEqualTo(r.answered());
      assertThat(r.latency().getTotalCount()).isEqualTo(r.completed());
      // the backend also answered the load's connection calls, one per channel
      assertThat(echo.unaryCalls.sum()).isEqualTo(r.answered() + 2);
    }
  }

  @Test
  void unaryAtRateAnswersEveryCallSent() throws Exception {
    try (GrpcLoad load = new GrpcLoad(server.getPort(), 2)) {
      Result r = load.unaryAtRate(200, new byte[100], 0, 1);
      assertThat(r.errors()).isEmpty();
      assertThat(r.sent()).isPositive();
      assertThat(r.answered()).isEqualTo(r.sent());
      assertThat(echo.unaryCalls.sum()).isEqualTo(r.answered() + 2);
    }
  }

  @Test
  void streamsEchoEveryMessageAndCompleteAfterHalfClose() throws Exception {
    try (GrpcLoad load = new GrpcLoad(server.getPort(), 2)) {
      // errors would include streams not completed after the half-close, or never echoed
      Result r = load.stream(3, 50, new byte[1000], 0.2, 0.5);
      assertThat(r.errors()).isEmpty();
      assertThat(r.sent()).isGreaterThanOrEqualTo(3);
      assertThat(r.answered()).isEqualTo(r.sent());
      assertThat(r.completed()).isLessThanOrEqualTo(r.answered());
      // without an application window only HTTP/2 flow control bounds what is in flight
      Result unbounded = load.stream(2, 0, new byte[100], 0.2, 0.5);
      assertThat(unbounded.errors()).isEmpty();
      assertThat(unbounded.sent()).isGreaterThanOrEqualTo(2);
      assertThat(unbounded.answered()).isEqualTo(unbounded.sent());
      assertThat(echo.streamMessages.sum()).isEqualTo(r.answered() + unbounded.answered());
    }
  }

  @Test
  void configRoutesToAnH2cClusterOfTheBackend(@TempDir Path dir) throws Exception {
    GrpcBench.writeConfig(dir, 18123, 19456);
    TranslationResult result = new Translator(TranslatorOptions.defaults())
        .translate(FileSource.loadOnce(dir).resources());

    assertThat(result.gateways()).hasSize(1);
    GatewayConfig gw = result.gateways().get(0);
    assertThat(gw.listeners()).singleElement().isInstanceOfSatisfying(HttpListener.class,
        l -> assertThat(l.port()).isEqualTo(18123));
    assertThat(gw.clusters().values()).singleElement().satisfies(c -> {
      assertThat(c.protocol()).isEqualTo(UpstreamProtocol.H2C);
      assertThat(c.endpoints()).containsExactly(new Endpoint("127.0.0.1", 19456, 1));
    });
  }

  @Test
  void medianOfEvenAndOddCounts() {
    assertThat(GrpcBench.median(new double[]{3, 1, 2})).isEqualTo(2);
    assertThat(GrpcBench.median(new double[]{4, 1, 3, 2})).isEqualTo(2.5);
  }
}
