package io.gatehouse.translator.policy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.LocalObjectReference;
import io.gatehouse.translator.Namespaces;
import io.gatehouse.translator.status.Problem;
import io.gatehouse.translator.status.Reason;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Resolves a BackendTLSPolicy's {@code spec.validation.caCertificateRefs}: each must name a core
 * {@code ConfigMap} (else InvalidKind) in the policy's namespace that exists and whose
 * {@code ca.crt} holds at least one PEM certificate that parses as X.509 (else
 * InvalidCACertificateRef). Pure.
 */
final class CaBundles {
  private final Map<String, ConfigMap> configMaps = new HashMap<>();

  CaBundles(List<ConfigMap> configMaps) {
    for (ConfigMap c : configMaps) {
      if (c.getMetadata() != null && c.getMetadata().getName() != null) {
        this.configMaps.put(Namespaces.of(c) + "/" + c.getMetadata().getName(), c);
      }
    }
  }

  /** The PEM bundle of one reference, or why it cannot be used. */
  record Resolution(@Nullable String pem, @Nullable Problem problem) {
  }

  Resolution resolve(String namespace, LocalObjectReference ref, String path) {
    String group = ref.getGroup() == null ? "" : ref.getGroup();
    String kind = ref.getKind() == null ? "" : ref.getKind();
    String name = ref.getName() == null ? "" : ref.getName();
    if (!group.isEmpty() || !kind.equals("ConfigMap")) {
      return invalid(Reason.INVALID_KIND, path, "Kind \"" + (group.isEmpty() ? "" : group + "/")
          + kind + "\" is not supported; use a ConfigMap with a ca.crt key.");
    }
    ConfigMap cm = configMaps.get(namespace + "/" + name);
    if (cm == null) {
      return invalid(Reason.INVALID_CA_CERTIFICATE_REF, path,
          "ConfigMap \"" + namespace + "/" + name + "\" not found.");
    }
    String pem = cm.getData() == null ? null : cm.getData().get("ca.crt");
    String problem = pem == null ? "has no ca.crt key" : certificateProblem(pem);
    if (problem != null) {
      return invalid(Reason.INVALID_CA_CERTIFICATE_REF, path,
          "ConfigMap \"" + namespace + "/" + name + "\" " + problem + ".");
    }
    return new Resolution(pem, null);
  }

  private static @Nullable String certificateProblem(String pem) {
    if (!pem.contains("-----BEGIN CERTIFICATE-----")) {
      return "holds no PEM certificate in ca.crt";
    }
    try {
      var certs = CertificateFactory.getInstance("X.509")
          .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
      return certs.isEmpty() ? "holds no PEM certificate in ca.crt" : null;
    } catch (CertificateException | RuntimeException e) {
      return "has a ca.crt that does not parse as X.509 certificates";
    }
  }

  private static Resolution invalid(Reason reason, String path, String message) {
    return new Resolution(null, new Problem(reason, path + ": " + message));
  }
}
