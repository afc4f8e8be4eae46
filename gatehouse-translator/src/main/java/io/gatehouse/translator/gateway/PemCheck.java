package io.gatehouse.translator.gateway;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Checks the PEM data of a {@code kubernetes.io/tls} Secret without using it: the chain must parse
 * as X.509 certificates ({@link CertificateFactory}), and the key must be one PEM block of a type
 * the proxy can load (PKCS#8 {@code PRIVATE KEY}, PKCS#1 {@code RSA PRIVATE KEY}, SEC1 {@code EC
 * PRIVATE KEY}) whose body is valid base64. Pure: bytes in, verdict out.
 */
final class PemCheck {
  private static final List<String> KEY_TYPES = List.of("PRIVATE KEY", "RSA PRIVATE KEY",
      "EC PRIVATE KEY");
  private static final Pattern BLOCK = Pattern.compile(
      "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*)-----END \\1-----");

  private PemCheck() {
  }

  /** Why {@code chainPem} is not a usable certificate chain, or null when it is. */
  static @Nullable String chainProblem(String chainPem) {
    if (!chainPem.contains("-----BEGIN CERTIFICATE-----")) {
      return "tls.crt holds no PEM certificate";
    }
    try {
      var certs = CertificateFactory.getInstance("X.509")
          .generateCertificates(new ByteArrayInputStream(chainPem.getBytes(
              StandardCharsets.US_ASCII)));
      return certs.isEmpty() ? "tls.crt holds no PEM certificate" : null;
    } catch (CertificateException | RuntimeException e) {
      return "tls.crt does not parse as X.509 certificates";
    }
  }

  /** Why {@code keyPem} is not a usable private key, or null when it is. */
  static @Nullable String keyProblem(String keyPem) {
    Matcher m = BLOCK.matcher(keyPem);
    if (!m.find()) {
      return "tls.key holds no PEM block";
    }
    if (!KEY_TYPES.contains(m.group(1))) {
      return "tls.key is a \"" + m.group(1) + "\" PEM block, not an unencrypted private key";
    }
    try {
      byte[] der = Base64.getMimeDecoder().decode(m.group(2));
      return der.length == 0 ? "tls.key is empty" : null;
    } catch (IllegalArgumentException e) {
      return "tls.key is not valid base64";
    }
  }
}
