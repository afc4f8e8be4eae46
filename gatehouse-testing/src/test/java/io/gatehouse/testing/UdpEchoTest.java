package io.gatehouse.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class UdpEchoTest {
  @Test
  void answersCompactJsonInEchoBasicKeyOrder() {
    byte[] reply = new UdpEcho("udp-backend-v1-5d9c8b7f4-abcde", "infra", "udp-backend-v1")
        .answer("gateway-api-conformance-udp-weight\n".getBytes(StandardCharsets.UTF_8),
            new InetSocketAddress("127.0.0.1", 1));
    assertThat(new String(reply, StandardCharsets.UTF_8)).isEqualTo(
        "{\"request\":\"gateway-api-conformance-udp-weight\\n\",\"namespace\":\"infra\","
            + "\"ingress\":\"\",\"service\":\"udp-backend-v1\","
            + "\"pod\":\"udp-backend-v1-5d9c8b7f4-abcde\"}");
  }
}
