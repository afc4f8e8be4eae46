package io.gatehouse.proxy.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.model.ClientIdentity;
import io.gatehouse.model.ClientIdentity.ForwardedFor;
import io.gatehouse.model.HeaderPolicy;
import io.gatehouse.model.HeaderPolicy.UnderscoreAction;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.Test;

class EdgeHeadersTest {

  private static HttpHeaders spoofed() {
    return new DefaultHttpHeaders().add("Host", "a").add("X-Forwarded-For", "1.2.3.4")
        .add("X-Real-IP", "1.2.3.4").add("Forwarded", "for=1.2.3.4")
        .add("X-Forwarded-Proto", "https").add("X-Forwarded-Host", "evil")
        .add("x-gateway-authenticated-user", "admin").add("X-Gateway-Original-Path", "/x")
        .add("x-keep", "1");
  }

  @Test
  void untrustedClientLosesForwardingAndInternalHeaders() {
    HttpHeaders h = spoofed();
    assertThat(EdgeHeaders.admit(h, HeaderPolicy.DEFAULT)).isNull();
    assertThat(h.names()).containsExactlyInAnyOrder("Host", "x-keep");
    EdgeHeaders.setForwarding(h, ClientIdentity.DEFAULT, "127.0.0.9", "http");
    assertThat(h.getAll("x-forwarded-for")).containsExactly("127.0.0.9");
    assertThat(h.getAll("x-forwarded-proto")).containsExactly("http");
  }

  @Test
  void appendModeKeepsTheClientValueBeforeThePeer() {
    HeaderPolicy p = HeaderPolicy.DEFAULT
        .withIdentity(new ClientIdentity(0, ForwardedFor.APPEND));
    HttpHeaders h = spoofed();
    assertThat(EdgeHeaders.admit(h, p)).isNull();
    assertThat(h.contains("x-real-ip")).isFalse();
    assertThat(h.contains("x-gateway-authenticated-user")).isFalse();
    EdgeHeaders.setForwarding(h, p.identity(), "127.0.0.9", "http");
    assertThat(h.getAll("x-forwarded-for")).containsExactly("1.2.3.4, 127.0.0.9");
    assertThat(h.get("x-forwarded-proto")).isEqualTo("http");
  }

  @Test
  void trustedHopKeepsForwardingHeadersButNeverInternalOnes() {
    HeaderPolicy p = HeaderPolicy.DEFAULT
        .withIdentity(new ClientIdentity(1, ForwardedFor.OVERWRITE));
    HttpHeaders h = spoofed();
    assertThat(EdgeHeaders.admit(h, p)).isNull();
    assertThat(h.get("x-real-ip")).isEqualTo("1.2.3.4");
    assertThat(h.contains("x-gateway-original-path")).isFalse();
    EdgeHeaders.setForwarding(h, p.identity(), "10.0.0.1", "http");
    assertThat(h.getAll("x-forwarded-for")).containsExactly("1.2.3.4, 10.0.0.1");
    assertThat(h.get("x-forwarded-proto")).isEqualTo("https");
  }

  @Test
  void underscoresAreRejectedByDefaultAndDroppedOnRequest() {
    HttpHeaders h = new DefaultHttpHeaders().add("X_Forwarded_For", "10.0.0.1")
        .add("X-Auth_User", "admin").add("x-ok", "1");
    assertThat(EdgeHeaders.admit(h, HeaderPolicy.DEFAULT))
        .isEqualTo(new EdgeHeaders.Refusal(400, "bad request: '_' in a header name"));
    assertThat(EdgeHeaders.admit(h, HeaderPolicy.DEFAULT.withUnderscores(UnderscoreAction.DROP)))
        .isNull();
    assertThat(h.names()).containsExactly("x-ok");
    HttpHeaders kept = new DefaultHttpHeaders().add("x_a", "1");
    assertThat(EdgeHeaders.admit(kept, HeaderPolicy.DEFAULT
        .withUnderscores(UnderscoreAction.ALLOW))).isNull();
    assertThat(kept.contains("x_a")).isTrue();
  }

  @Test
  void tooManyFieldsAnswer431() {
    HttpHeaders h = new DefaultHttpHeaders();
    for (int i = 0; i < 100; i++) {
      h.add("x-h" + i, "v");
    }
    assertThat(EdgeHeaders.admit(h, HeaderPolicy.DEFAULT)).isNull();
    h.add("x-h", "one too many");
    assertThat(EdgeHeaders.admit(h, HeaderPolicy.DEFAULT).status()).isEqualTo(431);
  }
}
