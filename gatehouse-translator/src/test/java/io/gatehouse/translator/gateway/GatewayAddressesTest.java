package io.gatehouse.translator.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewaySpecAddress;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GatewayAddressesTest {
  @ParameterizedTest
  @CsvSource({
      "127.0.0.1, true", "192.0.2.1, true", "0.0.0.0, true", "255.255.255.255, true",
      "::1, true", "2001:db8::7, true", "::ffff:192.0.2.1, true",
      "256.0.0.1, false", "1.2.3, false", "01.2.3.4, false", "localhost, false",
      "gw.example.com, false", "1:2, false", "2001:db8::g, false", "'', false"})
  void ipLiterals(String value, boolean literal) {
    assertThat(GatewayAddresses.isIpLiteral(value)).isEqualTo(literal);
  }

  @ParameterizedTest
  @CsvSource({
      "'', 10.0.0.1, true", "IPAddress, 10.0.0.1, true", "IPAddress, '', false",
      "Hostname, gw.example.com, false", "NamedAddress, ip-1, false"})
  void requestsIpOnlyForIpAddressEntriesWithAValue(String type, String value, boolean requests) {
    GatewaySpecAddress a = new GatewaySpecAddress(type.isEmpty() ? null : type,
        value.isEmpty() ? null : value);

    assertThat(GatewayAddresses.requestsIp(List.of(a))).isEqualTo(requests);
  }
}
