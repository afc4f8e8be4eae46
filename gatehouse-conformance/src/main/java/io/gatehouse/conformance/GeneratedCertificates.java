package io.gatehouse.conformance;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * The certificates the Go suite generates at setup (HARNESS.md §5): RSA-2048, SHA-256, one year;
 * leaves {@code CN=default, O=Acme Co}, CAs {@code C=US, O=Kubernetes Gateway API, CN=gatewayapi}
 * with serial 2024. Secrets ({@code kubernetes.io/tls}) carry PKCS#1 keys
 * ({@code BEGIN RSA PRIVATE KEY}) as the suite's do; CAs are ConfigMaps with {@code ca.crt}.
 */
final class GeneratedCertificates {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  static final String INFRA = "gateway-conformance-infra";
  static final String WEB = "gateway-conformance-web-backend";
  static final String APP = "gateway-conformance-app-backend";
  private static final X500Name LEAF = new X500Name("CN=default, O=Acme Co");
  private static final X500Name CA = new X500Name("C=US, O=Kubernetes Gateway API, CN=gatewayapi");

  private record Issuer(KeyPair keys, X509Certificate cert) {
  }

  private final SecureRandom random = new SecureRandom();
  private final List<ObjectNode> objects = new ArrayList<>();
  private final Map<String, String> values = new LinkedHashMap<>();

  /** Generates the whole set (a few seconds of RSA key generation). */
  static GeneratedCertificates generate() {
    try {
      GeneratedCertificates g = new GeneratedCertificates();
      g.generateAll();
      return g;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("Cannot generate the suite's certificates", e);
    }
  }

  /** The Secrets and ConfigMaps, ready to be written as manifests. */
  List<ObjectNode> objects() {
    return List.copyOf(objects);
  }

  /** A value by {@code Kind/namespace/name/key} (as in {@code ${pem:...}}), or null. */
  String value(String ref) {
    return values.get(ref);
  }

  private void generateAll() throws GeneralSecurityException, IOException {
    secret(WEB, "certificate", null, List.of("*"), KeyPurposeId.id_kp_serverAuth);
    secret(INFRA, "tls-validity-checks-certificate", null, List.of("*", "*.org", "*.wildcard.org"),
        KeyPurposeId.id_kp_serverAuth);
    caConfigMap(WEB, "web-backend-cm", ca());
    Issuer ca2 = ca();
    caConfigMap(INFRA, "tls-validity-checks-ca-certificate", ca2);
    secret(INFRA, "tls-validity-checks-client-certificate", ca2, List.of(),
        KeyPurposeId.id_kp_clientAuth);
    Issuer ca3 = ca();
    caConfigMap(INFRA, "tls-validity-checks-per-port-ca-certificate", ca3);
    secret(INFRA, "tls-validity-checks-per-port-client-certificate", ca3, List.of(),
        KeyPurposeId.id_kp_clientAuth);
    Issuer ca4 = ca();
    caConfigMap(INFRA, "tls-checks-ca-certificate", ca4);
    secret(INFRA, "tls-checks-certificate", ca4,
        List.of("abc.example.com", "spiffe://abc.example.com/test-identity", "other.example.com"),
        KeyPurposeId.id_kp_serverAuth);
    secret(INFRA, "tls-checks-client-certificate", ca4, List.of(), KeyPurposeId.id_kp_clientAuth);
    secret(INFRA, "tls-passthrough-checks-certificate", ca4, List.of("abc.example.com"),
        KeyPurposeId.id_kp_serverAuth);
    secret(APP, "tls-passthrough-checks-certificate", ca4, List.of("abc.example.com"),
        KeyPurposeId.id_kp_serverAuth);
    secret(INFRA, "tls-terminate-checks-certificate", ca4, List.of("tls.example.com"),
        KeyPurposeId.id_kp_serverAuth);
    caConfigMap(INFRA, "mismatch-ca-certificate", ca());
  }

  private KeyPair rsa() throws GeneralSecurityException {
    KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
    gen.initialize(2048, random);
    return gen.generateKeyPair();
  }

  private Issuer ca() throws GeneralSecurityException, IOException {
    KeyPair keys = rsa();
    Instant now = Instant.now();
    X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(CA, BigInteger.valueOf(2024),
        Date.from(now), Date.from(now.plus(Duration.ofDays(365))), CA, keys.getPublic());
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
    b.addExtension(Extension.keyUsage, true,
        new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyCertSign));
    b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
        new KeyPurposeId[]{KeyPurposeId.id_kp_clientAuth, KeyPurposeId.id_kp_serverAuth}));
    return new Issuer(keys, sign(b, keys.getPrivate()));
  }

  private void secret(String ns, String name, Issuer issuer, List<String> hosts,
      KeyPurposeId usage) throws GeneralSecurityException, IOException {
    KeyPair keys = rsa();
    Instant now = Instant.now();
    BigInteger serial = new BigInteger(127, random);
    // JcaX509v3CertificateBuilder takes the issuer first, then the subject.
    X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer == null ? LEAF : CA,
        serial, Date.from(now), Date.from(now.plus(Duration.ofDays(365))), LEAF,
        keys.getPublic());
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    b.addExtension(Extension.keyUsage, true,
        new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
    b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(usage));
    if (!hosts.isEmpty()) {
      b.addExtension(Extension.subjectAlternativeName, false, sans(hosts));
    }
    X509Certificate cert = sign(b, issuer == null ? keys.getPrivate() : issuer.keys().getPrivate());
    String crt = pem(cert);
    String key = pkcs1(keys.getPrivate());
    ObjectNode secret = object("Secret", ns, name);
    secret.put("type", "kubernetes.io/tls");
    ObjectNode data = secret.putObject("data");
    data.put("tls.crt", base64(crt));
    data.put("tls.key", base64(key));
    objects.add(secret);
    values.put("Secret/" + ns + "/" + name + "/tls.crt", crt);
    values.put("Secret/" + ns + "/" + name + "/tls.key", key);
  }

  private void caConfigMap(String ns, String name, Issuer ca) throws IOException {
    String crt = pem(ca.cert());
    ObjectNode cm = object("ConfigMap", ns, name);
    cm.putObject("data").put("ca.crt", crt);
    objects.add(cm);
    values.put("ConfigMap/" + ns + "/" + name + "/ca.crt", crt);
  }

  /** Go's rule: IPs become IP SANs, URLs (anything that parses with a scheme, or "*") URI SANs. */
  static GeneralNames sans(List<String> hosts) {
    List<GeneralName> names = new ArrayList<>();
    for (String h : hosts) {
      if (h.matches("[0-9.]+") || h.contains(":") && !h.contains("/")) {
        names.add(new GeneralName(GeneralName.iPAddress, h));
      } else if (h.equals("*") || isUri(h)) {
        names.add(new GeneralName(GeneralName.uniformResourceIdentifier, h));
      } else {
        names.add(new GeneralName(GeneralName.dNSName, h));
      }
    }
    return new GeneralNames(names.toArray(GeneralName[]::new));
  }

  private static boolean isUri(String h) {
    try {
      return URI.create(h).getScheme() != null;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key)
      throws GeneralSecurityException {
    try {
      return new JcaX509CertificateConverter()
          .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withRSA").build(key)));
    } catch (org.bouncycastle.operator.OperatorCreationException e) {
      throw new GeneralSecurityException(e);
    }
  }

  static String pem(X509Certificate cert) throws IOException {
    StringWriter w = new StringWriter();
    try (JcaPEMWriter pw = new JcaPEMWriter(w)) {
      pw.writeObject(cert);
    }
    return w.toString();
  }

  static String pkcs1(PrivateKey key) throws IOException {
    byte[] der = PrivateKeyInfo.getInstance(key.getEncoded()).parsePrivateKey().toASN1Primitive()
        .getEncoded();
    StringWriter w = new StringWriter();
    try (JcaPEMWriter pw = new JcaPEMWriter(w)) {
      pw.writeObject(new PemObject("RSA PRIVATE KEY", der));
    }
    return w.toString();
  }

  private static String base64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  private static ObjectNode object(String kind, String ns, String name) {
    ObjectNode o = F.objectNode();
    o.put("apiVersion", "v1");
    o.put("kind", kind);
    o.putObject("metadata").put("name", name).put("namespace", ns);
    return o;
  }

  static UncheckedIOException unchecked(IOException e) {
    return new UncheckedIOException(e);
  }
}
