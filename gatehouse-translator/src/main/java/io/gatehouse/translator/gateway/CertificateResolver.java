package io.gatehouse.translator.gateway;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerTLSConfig;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.SecretObjectReference;
import io.gatehouse.model.SecretValue;
import io.gatehouse.translator.Namespaces;
import io.gatehouse.translator.backend.ReferenceGrants;
import io.gatehouse.translator.backend.ReferenceGrants.Kind;
import io.gatehouse.translator.status.Problem;
import io.gatehouse.translator.status.Reason;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Resolves the {@code tls.certificateRefs} of an HTTPS listener (Gateway API
 * GatewayTLSConfig.certificateRefs): each must name a core {@code Secret} (else
 * InvalidCertificateRef), in the Gateway's namespace or allowed by a ReferenceGrant from Gateways
 * of that namespace (from ListenerSets for a ListenerSet's listeners; else RefNotPermitted), that
 * exists and holds a parseable PEM chain in {@code
 * tls.crt} and key in {@code tls.key} (else InvalidCertificateRef). Every reference is checked and
 * the first problem is reported; the first reference is served (more than one is
 * implementation-specific in the spec).
 */
public final class CertificateResolver {
  private static final Kind GATEWAY = new Kind("gateway.networking.k8s.io", "Gateway");
  private static final Kind LISTENER_SET = new Kind("gateway.networking.k8s.io", "ListenerSet");
  private static final Kind SECRET = new Kind("", "Secret");

  private final Map<String, Secret> secrets = new HashMap<>();
  private final ReferenceGrants grants;
  private final Kind from;

  public CertificateResolver(List<Secret> secrets, ReferenceGrants grants) {
    for (Secret s : secrets) {
      if (s.getMetadata() != null && s.getMetadata().getName() != null) {
        this.secrets.put(Namespaces.of(s) + "/" + s.getMetadata().getName(), s);
      }
    }
    this.grants = grants;
    this.from = GATEWAY;
  }

  private CertificateResolver(CertificateResolver other, Kind from) {
    this.secrets.putAll(other.secrets);
    this.grants = other.grants;
    this.from = from;
  }

  /**
   * A resolver for the listeners of ListenerSets: a cross-namespace reference needs a
   * ReferenceGrant from kind ListenerSet (GEP-1713); a grant for Gateways does not cover it.
   */
  CertificateResolver forListenerSets() {
    return new CertificateResolver(this, LISTENER_SET);
  }

  /** The certificate a listener serves, or why it has none. */
  public record Resolution(@Nullable TlsCertificate certificate, @Nullable Problem problem) {
  }

  /**
   * Resolves {@code tls}, written at {@code path} in a Gateway (or ListenerSet) of
   * {@code gatewayNamespace}.
   */
  public Resolution resolve(String gatewayNamespace, @Nullable ListenerTLSConfig tls,
      String path) {
    List<SecretObjectReference> refs = tls == null || tls.getCertificateRefs() == null
        ? List.of()
        : tls.getCertificateRefs();
    if (refs.isEmpty()) {
      return new Resolution(null, new Problem(Reason.INVALID_CERTIFICATE_REF,
          path + ".tls.certificateRefs: An HTTPS listener needs a certificate."));
    }
    TlsCertificate first = null;
    for (int i = 0; i < refs.size(); i++) {
      Resolution r = resolve(gatewayNamespace, refs.get(i),
          path + ".tls.certificateRefs[" + i + "]");
      if (r.problem() != null) {
        return r;
      }
      first = first == null ? r.certificate() : first;
    }
    return new Resolution(first, null);
  }

  /**
   * Resolves one Secret reference written at {@code path} in a Gateway of {@code gatewayNamespace}
   * (also used for {@code spec.tls.backend.clientCertificateRef}).
   */
  public Resolution resolve(String gatewayNamespace, SecretObjectReference ref, String path) {
    String group = ref.getGroup() == null ? "" : ref.getGroup();
    String kind = ref.getKind() == null ? "Secret" : ref.getKind();
    String namespace = ref.getNamespace() == null ? gatewayNamespace : ref.getNamespace();
    String name = ref.getName() == null ? "" : ref.getName();
    if (!SECRET.equals(new Kind(group, kind))) {
      return invalid(Reason.INVALID_CERTIFICATE_REF, path, "Kind \""
          + (group.isEmpty() ? "" : group + "/") + kind + "\" is not supported; use a Secret.");
    }
    if (!grants.permits(from, gatewayNamespace, SECRET, namespace, name)) {
      return invalid(Reason.REF_NOT_PERMITTED, path, "Secret \"" + namespace + "/" + name
          + "\" is in another namespace and no ReferenceGrant allows the reference.");
    }
    Secret secret = secrets.get(namespace + "/" + name);
    if (secret == null) {
      return invalid(Reason.INVALID_CERTIFICATE_REF, path,
          "Secret \"" + namespace + "/" + name + "\" not found.");
    }
    String crt = value(secret, "tls.crt");
    String key = value(secret, "tls.key");
    String problem = crt == null ? "tls.crt is missing" : PemCheck.chainProblem(crt);
    if (problem == null) {
      problem = key == null ? "tls.key is missing" : PemCheck.keyProblem(key);
    }
    if (problem != null) {
      return invalid(Reason.INVALID_CERTIFICATE_REF, path,
          "Secret \"" + namespace + "/" + name + "\": " + problem + ".");
    }
    return new Resolution(new TlsCertificate(crt, SecretValue.of(key),
        "Secret/" + namespace + "/" + name), null);
  }

  /** The decoded value of {@code key}: {@code data} is base64, {@code stringData} plain. */
  private static @Nullable String value(Secret secret, String key) {
    Map<String, String> data = secret.getData();
    if (data != null && data.get(key) != null) {
      try {
        return new String(Base64.getMimeDecoder().decode(data.get(key)),
            StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        return null;
      }
    }
    Map<String, String> plain = secret.getStringData();
    return plain == null ? null : plain.get(key);
  }

  private static Resolution invalid(Reason reason, String path, String message) {
    return new Resolution(null, new Problem(reason, path + ": " + message));
  }
}
