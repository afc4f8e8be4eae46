package io.gatehouse.translator.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PemCheckTest {
  private static final String BODY = "\nMIIBVQIBADANBgkqhkiG9w0BAQEFAASCAT8wggE7AgEAAkEA\n";

  @Test
  void acceptsTheSelfSignedFixture() throws IOException {
    assertThat(PemCheck.chainProblem(fixture("self-signed.crt"))).isNull();
    assertThat(PemCheck.keyProblem(fixture("self-signed.key"))).isNull();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      # key block type            | accepted
      PRIVATE KEY                 | true
      RSA PRIVATE KEY             | true
      EC PRIVATE KEY              | true
      ENCRYPTED PRIVATE KEY       | false
      CERTIFICATE                 | false
      """)
  void keyBlockTypes(String type, boolean accepted) {
    String pem = "-----BEGIN " + type + "-----" + BODY + "-----END " + type + "-----\n";
    assertThat(PemCheck.keyProblem(pem) == null).as(type).isEqualTo(accepted);
  }

  @Test
  void rejectsGarbage() {
    assertThat(PemCheck.chainProblem("Hello world\n")).isNotNull();
    assertThat(PemCheck.keyProblem("Hello world\n")).isNotNull();
    assertThat(
        PemCheck.chainProblem("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"))
        .isNotNull();
    assertThat(PemCheck.keyProblem("-----BEGIN PRIVATE KEY-----\n!!!\n-----END PRIVATE KEY-----"))
        .isNotNull();
  }

  private static String fixture(String name) throws IOException {
    try (InputStream in = Objects.requireNonNull(
        PemCheckTest.class.getResourceAsStream("/conformance/" + name), name)) {
      return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    }
  }
}
