package io.gatehouse.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class EdgeSettingsTest {
  @Test
  void defaultsAreTheEdgeRecommendations() {
    EdgeTimeouts t = EdgeTimeouts.defaults();
    assertThat(t.requestHeaders()).isEqualTo(Duration.ofSeconds(10));
    assertThat(t.idle()).isEqualTo(Duration.ofHours(1));
    assertThat(t.streamIdle()).isEqualTo(Duration.ofSeconds(300));
    assertThat(t.upstreamReadIdle()).isEqualTo(Duration.ofSeconds(60));
    ConnectionLimits c = ConnectionLimits.defaults();
    assertThat(c.perListener()).isEqualTo(10_000);
    assertThat(c.processWide()).isEqualTo(50_000);
    assertThat(c.writeBufferHigh()).isEqualTo(32 * 1024);
    OverloadGuard o = OverloadGuard.defaults();
    assertThat(o.shrinkAt()).isEqualTo(0.95);
    assertThat(o.stopAt()).isEqualTo(0.98);
    assertThat(o.interval()).isEqualTo(Duration.ofMillis(250));
  }

  @Test
  void invalidValuesAreRefusedNamingTheField() {
    Duration s = Duration.ofSeconds(1);
    assertThatThrownBy(() -> new EdgeTimeouts(Duration.ZERO, s, s, s))
        .hasMessageContaining("requestHeaders");
    assertThatThrownBy(() -> new EdgeTimeouts(s, s, s.negated(), s))
        .hasMessageContaining("streamIdle");
    assertThatThrownBy(() -> new ConnectionLimits(0, 1, 2, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ConnectionLimits(1, 1, 1, 2))
        .hasMessageContaining("writeBufferLow");
    assertThatThrownBy(() -> new OverloadGuard(0.99, 0.98, s))
        .hasMessageContaining("shrinkAt");
    assertThatThrownBy(() -> new OverloadGuard(0.9, 1.5, s))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
