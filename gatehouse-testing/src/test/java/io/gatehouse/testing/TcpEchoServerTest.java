package io.gatehouse.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoopGroup;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The echo-basic TCP protocol of HARNESS.md §9.2 on loopback (plain TCP). */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TcpEchoServerTest {
  @Test
  void speaksFirstThenAnswersPingIsTlsAndTest() throws Exception {
    EventLoopGroup group = EchoServer.newEventLoopGroup(1);
    try (TcpEchoServer server = TcpEchoServer.start(new TcpEchoServer.Options("127.0.0.1", 0,
        "tcp-echo-one-7c9d8b5f6d-x2x9z", "infra", "tcp-echo-one", null), group);
        Socket s = new Socket("127.0.0.1", server.address().getPort())) {
      s.setSoTimeout(5_000);
      BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(),
          StandardCharsets.UTF_8));
      OutputStream out = s.getOutputStream();
      assertThat(in.readLine()).isEqualTo("Gateway API Test TCP Server");
      out.write("PING\nHELLO\nIS_TLS\r\nTEST\n".getBytes(StandardCharsets.US_ASCII));
      assertThat(in.readLine()).isEqualTo("PONG");
      assertThat(in.readLine()).isEqualTo("false"); // HELLO got no answer
      assertThat(in.readLine()).isEqualTo("{\"namespace\":\"infra\",\"ingress\":\"\","
          + "\"service\":\"tcp-echo-one\",\"pod\":\"tcp-echo-one-7c9d8b5f6d-x2x9z\","
          + "\"tcpport\":\"3000\",\"tlsport\":\"8443\",\"isTLS\":false}");
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
  }
}
