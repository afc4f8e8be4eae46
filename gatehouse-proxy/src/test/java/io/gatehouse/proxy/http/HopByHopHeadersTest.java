package io.gatehouse.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.Test;

class HopByHopHeadersTest {

  @Test
  void removesHopByHopAndConnectionNamedHeadersButKeepsFraming() {
    HttpHeaders h = new DefaultHttpHeaders().add("Connection", "keep-alive, X-Secret")
        .add("Connection", "transfer-encoding").add("X-Secret", "1").add("Keep-Alive", "timeout=5")
        .add("Proxy-Connection", "keep-alive").add("TE", "trailers").add("Trailer", "X-T")
        .add("Upgrade", "websocket").add("Transfer-Encoding", "chunked").add("X-Keep", "yes");
    HopByHopHeaders.strip(h);
    assertThat(h.names()).containsExactlyInAnyOrder("Transfer-Encoding", "X-Keep");
  }

  @Test
  void neverForwardsAnH2cUpgrade() {
    HttpHeaders unnamed = new DefaultHttpHeaders().add("Upgrade", "h2c")
        .add("HTTP2-Settings", "AAMAAABkAARAAAAAAAIAAAAA").add("X-Keep", "yes");
    HopByHopHeaders.strip(unnamed);
    assertThat(unnamed.names()).containsExactly("X-Keep");
  }
}
