package io.gatehouse.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Starting, sharing and closing echo servers. */
class EchoServerLifecycleIT {

  private static EchoOptions pod(String name) {
    return EchoOptions.of("127.0.0.1", 0, name, "gateway-conformance-infra");
  }

  private static String get(InetSocketAddress address, String path) throws IOException {
    try (RawHttp1Connection connection = RawHttp1Connection.open(address)) {
      connection.write("GET " + path + " HTTP/1.1\r\nHost: pod\r\nConnection: close\r\n\r\n");
      return connection.readAll();
    }
  }

  @Test
  void podsShareAnEventLoopGroupThatOutlivesThem() throws Exception {
    EventLoopGroup group = EchoServer.newEventLoopGroup(1);
    try (EchoServer v1 = EchoServer.start(pod("infra-backend-v1-7c9d8b5f6d-aaaaa"), group)) {
      InetSocketAddress v2Address;
      try (EchoServer v2 = EchoServer.start(pod("infra-backend-v2-6b8c7d9f5e-bbbbb"), group)) {
        v2Address = v2.address();
        assertThat(v2Address.getPort()).isPositive().isNotEqualTo(v1.address().getPort());
        assertThat(get(v2Address, "/who"))
            .contains("\"pod\": \"infra-backend-v2-6b8c7d9f5e-bbbbb\"");
      }
      assertThatExceptionOfType(ConnectException.class).isThrownBy(() -> new Socket(
          v2Address.getAddress(), v2Address.getPort()).close());
      assertThat(get(v1.address(), "/who"))
          .contains("\"pod\": \"infra-backend-v1-7c9d8b5f6d-aaaaa\"");
      assertThat(v1.requests()).extracting(EchoRequestLog::uri).containsExactly("/who");
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }

  @Test
  void failsClearlyWhenThePortIsTaken() {
    try (EchoServer first = EchoServer.start(pod("infra-backend-v1-7c9d8b5f6d-ccccc"))) {
      EchoOptions same = EchoOptions.of("127.0.0.1", first.address().getPort(), "x-1-2", "ns");
      assertThatExceptionOfType(UncheckedIOException.class).isThrownBy(() -> EchoServer.start(same))
          .withMessageContaining(
              "Cannot bind echo server to 127.0.0.1:" + first.address().getPort());
    }
  }

  @Test
  void closeEndsOpenKeepAliveConnections() throws Exception {
    EchoServer server = EchoServer.start(pod("infra-backend-v1-7c9d8b5f6d-ddddd"));
    try (RawHttp1Connection connection = RawHttp1Connection.open(server.address())) {
      connection.write("GET /slow?delay=30s HTTP/1.1\r\nHost: pod\r\n\r\n");
      waitForRequest(server);
      server.close();
      assertThat(connection.readAll()).isEmpty();
    }
  }

  private static void waitForRequest(EchoServer server) throws InterruptedException {
    for (int i = 0; i < 500 && server.requests().isEmpty(); i++) {
      Thread.sleep(10);
    }
    assertThat(server.requests()).hasSize(1);
  }
}
