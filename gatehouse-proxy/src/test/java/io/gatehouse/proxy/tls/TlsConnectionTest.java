package io.gatehouse.proxy.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The misdirected-request rule: the SNI and the Host must select the same listener hostname. */
class TlsConnectionTest {
  /** Any context: only the names matter here. */
  private static final SslContext ANY = client();
  private static final SniMapping<SslContext> PORT = new SniMapping.Builder<SslContext>()
      .add("*", ANY).add("second-example.org", ANY).add("*.wildcard.org", ANY)
      .add("fourth.wildcard.org", ANY).build();

  @ParameterizedTest(name = "SNI {0}, Host {1} -> {2}")
  @CsvSource(nullValues = "-", value = {
      "example.org,         example.org,              false",
      "example.org,         second-example.org,       true",
      "example.org,         SECOND-example.org.:8443, true",
      "example.org,         unknown.test,             false",
      "example.org,         10.0.0.1:443,             false",
      "-,                   example.org,              false",
      "-,                   second-example.org,       true",
      "second-example.org,  second-example.org.,      false",
      "second-example.org,  example.org,              true",
      "second-example.org,  [::1]:443,                true",
      "third.wildcard.org,  fifth.wildcard.org,       false",
      "third.wildcard.org,  fourth.wildcard.org,      true",
      "fourth.wildcard.org, fifth.wildcard.org,       true",
      "example.org,         -,                        false",
  })
  void misdirected(@Nullable String sni, @Nullable String host, boolean expected) {
    assertThat(new TlsConnection(sni, () -> PORT).misdirected(host)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "SNI {0}, Host {1} -> {2}")
  @CsvSource(nullValues = "-", value = {
      "example.org,         second-example.org, true",
      "example.org,         example.org,        false",
      "-,                   second-example.org, true",
      "second-example.org,  unknown.test,       false",
  })
  void withoutDefaultListener(@Nullable String sni, String host, boolean expected) {
    // No listener without hostname: example.org's listener is gone (or never was); a host no
    // listener serves is left to routing.
    SniMapping<SslContext> noDefault = new SniMapping.Builder<SslContext>()
        .add("second-example.org", ANY).build();
    assertThat(new TlsConnection(sni, () -> noDefault).misdirected(host)).isEqualTo(expected);
  }

  private static SslContext client() {
    try {
      return SslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE)
          .build();
    } catch (javax.net.ssl.SSLException e) {
      throw new IllegalStateException(e);
    }
  }
}
