package io.gatehouse.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.testing.EchoTls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.jspecify.annotations.Nullable;

/**
 * The HTTPS port of an echo-basic pod (HARNESS.md §3.1, §3.4): a container with
 * {@code TLS_SERVER_CERT} serves HTTPS on 8443 with the {@code tls.crt}/{@code tls.key} of the
 * Secret mounted by its pod template, and with {@code TLS_CLIENT_CACERTS} also requests a client
 * certificate signed by the {@code ca.crt} of the mounted ConfigMap. The PEM comes from the suite's
 * generated objects ({@code Kind/namespace/name/key}).
 */
final class EchoPodTls {
  static final int HTTPS_PORT = 8443;

  private EchoPodTls() {
  }

  /** The TLS settings of a Deployment's pods, or null when they serve no HTTPS. */
  static @Nullable EchoTls of(ObjectNode deployment, Function<String, String> generated) {
    JsonNode spec = deployment.path("spec").path("template").path("spec");
    String text = spec.path("containers").toString();
    if (!text.contains("TLS_SERVER_CERT")) {
      return null;
    }
    String ns = Yaml.text(deployment.path("metadata"), "namespace");
    String secret = null;
    String configMap = null;
    for (JsonNode v : spec.path("volumes")) {
      if (v.path("secret").has("secretName")) {
        secret = v.path("secret").path("secretName").asText();
      }
      if (v.path("configMap").has("name")) {
        configMap = v.path("configMap").path("name").asText();
      }
    }
    if (secret == null) {
      return null;
    }
    String crt = generated.apply("Secret/" + ns + "/" + secret + "/tls.crt");
    String key = generated.apply("Secret/" + ns + "/" + secret + "/tls.key");
    String ca = configMap != null && text.contains("TLS_CLIENT_CACERTS")
        ? generated.apply("ConfigMap/" + ns + "/" + configMap + "/ca.crt")
        : null;
    if (crt == null || key == null) {
      return null;
    }
    try {
      return new EchoTls(privateKey(key), certificates(crt),
          ca == null ? List.of() : certificates(ca));
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("Cannot read the TLS material of Secret " + ns + "/"
          + secret, e);
    }
  }

  private static List<X509Certificate> certificates(String pem) throws GeneralSecurityException {
    List<X509Certificate> out = new ArrayList<>();
    for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(
        new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
      out.add((X509Certificate) c);
    }
    return out;
  }

  private static PrivateKey privateKey(String pem) throws IOException {
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      Object o = parser.readObject();
      JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
      if (o instanceof PEMKeyPair pair) {
        return converter.getKeyPair(pair).getPrivate();
      }
      if (o instanceof PrivateKeyInfo info) {
        return converter.getPrivateKey(info);
      }
      throw new IOException("not a private key: " + (o == null ? "nothing" : o.getClass()));
    }
  }
}
