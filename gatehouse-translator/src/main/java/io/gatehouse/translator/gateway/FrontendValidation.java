package io.gatehouse.translator.gateway;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.FrontendTLSConfig;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.FrontendTLSValidation;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ObjectReference;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.TLSConfig;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.TLSPortConfig;
import io.gatehouse.model.ClientValidation;
import io.gatehouse.translator.Namespaces;
import io.gatehouse.translator.backend.ReferenceGrants;
import io.gatehouse.translator.backend.ReferenceGrants.Kind;
import io.gatehouse.translator.status.Problem;
import io.gatehouse.translator.status.Reason;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Resolves a Gateway's frontend client-certificate validation (Gateway API
 * {@code spec.tls.frontend}, GEP-91) for its HTTPS listeners. The {@code perPort} entry for a
 * listener's port wins over {@code default}; HTTP listeners are never affected.
 *
 * <p>
 * Each {@code validation.caCertificateRefs} entry must name a core {@code ConfigMap} (the spec's
 * core support) or {@code Secret} (implementation-specific) whose {@code ca.crt} holds PEM
 * certificates; another kind is InvalidCACertificateKind; a reference to another namespace needs a
 * ReferenceGrant there that allows Gateways of this namespace (else RefNotPermitted); a missing
 * object or an unusable {@code ca.crt} is InvalidCACertificateRef. The first problem makes the
 * listener ResolvedRefs=False; when no reference is valid the listener is also Accepted=False
 * (NoValidCACertificate) and not served, so that no client is let in unchecked. {@code mode} is
 * {@code AllowValidOnly} (default: the handshake fails without a valid client certificate) or
 * {@code AllowInsecureFallback} (the client is served anyway). Pure.
 */
public final class FrontendValidation {
  private static final Kind GATEWAY = new Kind("gateway.networking.k8s.io", "Gateway");
  private static final String CA_KEY = "ca.crt";

  private final Map<String, ConfigMap> configMaps = new HashMap<>();
  private final Map<String, Secret> secrets = new HashMap<>();
  private final ReferenceGrants grants;

  public FrontendValidation(List<ConfigMap> configMaps, List<Secret> secrets,
      ReferenceGrants grants) {
    for (ConfigMap c : configMaps) {
      if (c.getMetadata() != null && c.getMetadata().getName() != null) {
        this.configMaps.put(Namespaces.of(c) + "/" + c.getMetadata().getName(), c);
      }
    }
    for (Secret s : secrets) {
      if (s.getMetadata() != null && s.getMetadata().getName() != null) {
        this.secrets.put(Namespaces.of(s) + "/" + s.getMetadata().getName(), s);
      }
    }
    this.grants = grants;
  }

  /** No ConfigMaps, Secrets or grants: every reference is unresolved. */
  static FrontendValidation none() {
    return new FrontendValidation(List.of(), List.of(), new ReferenceGrants(List.of()));
  }

  /** {@code listeners} of {@code gateway}, each HTTPS one with the validation of its port. */
  List<ValidatedListener> apply(Gateway gateway, List<ValidatedListener> listeners) {
    FrontendTLSConfig frontend = gateway.getSpec() == null || gateway.getSpec().getTls() == null
        ? null
        : gateway.getSpec().getTls().getFrontend();
    if (frontend == null) {
      return listeners;
    }
    String namespace = Namespaces.of(gateway);
    Map<String, FrontendTls> byPath = new HashMap<>();
    List<ValidatedListener> out = new ArrayList<>();
    for (ValidatedListener l : listeners) {
      if (!l.protocol().equals("HTTPS")) {
        out.add(l);
        continue;
      }
      TLSConfig config = frontend.getDefault();
      String path = "spec.tls.frontend.default";
      List<TLSPortConfig> perPort = frontend.getPerPort() == null
          ? List.of()
          : frontend.getPerPort();
      for (int i = 0; i < perPort.size(); i++) {
        TLSPortConfig p = perPort.get(i);
        if (p.getPort() != null && p.getPort() == l.port()) {
          config = p.getTls();
          path = "spec.tls.frontend.perPort[" + i + "].tls";
          break;
        }
      }
      if (config == null || config.getValidation() == null) {
        out.add(l);
        continue;
      }
      TLSConfig c = config;
      String at = path;
      out.add(l.withFrontend(byPath.computeIfAbsent(path,
          k -> resolve(namespace, c.getValidation(), at))));
    }
    return out;
  }

  private FrontendTls resolve(String namespace, FrontendTLSValidation v, String path) {
    String mode = v.getMode() == null ? "AllowValidOnly" : v.getMode();
    if (!mode.equals("AllowValidOnly") && !mode.equals("AllowInsecureFallback")) {
      return new FrontendTls(null, null, new Problem(Reason.UNSUPPORTED_VALUE, path
          + ".validation.mode: Mode \"" + mode
          + "\" is not supported; use AllowValidOnly or AllowInsecureFallback."));
    }
    List<ObjectReference> refs = v.getCaCertificateRefs() == null
        ? List.of()
        : v.getCaCertificateRefs();
    StringBuilder pem = new StringBuilder();
    List<String> sources = new ArrayList<>();
    Problem first = null;
    for (int i = 0; i < refs.size(); i++) {
      String at = path + ".validation.caCertificateRefs[" + i + "]";
      Problem p = resolveOne(namespace, refs.get(i), at, pem, sources);
      if (first == null) {
        first = p;
      }
    }
    if (refs.isEmpty()) {
      first = new Problem(Reason.INVALID_CA_CERTIFICATE_REF,
          path + ".validation.caCertificateRefs: At least one CA certificate is needed.");
    }
    if (sources.isEmpty()) {
      return new FrontendTls(null, first, new Problem(Reason.NO_VALID_CA_CERTIFICATE,
          path + ".validation.caCertificateRefs: No valid CA certificate; the listener is not"
              + " served."));
    }
    return new FrontendTls(new ClientValidation(pem.toString(),
        mode.equals("AllowInsecureFallback"), String.join(",", sources)), first, null);
  }

  /** Appends the PEM of one reference to {@code pem}, or returns why it cannot be used. */
  private @Nullable Problem resolveOne(String gatewayNamespace, ObjectReference ref, String path,
      StringBuilder pem, List<String> sources) {
    String group = ref.getGroup() == null ? "" : ref.getGroup();
    String kind = ref.getKind() == null ? "" : ref.getKind();
    String name = ref.getName() == null ? "" : ref.getName();
    String namespace = ref.getNamespace() == null ? gatewayNamespace : ref.getNamespace();
    if (!group.isEmpty() || !(kind.equals("ConfigMap") || kind.equals("Secret"))) {
      return new Problem(Reason.INVALID_CA_CERTIFICATE_KIND, path + ": Kind \""
          + (group.isEmpty() ? "" : group + "/") + kind
          + "\" is not supported; use a ConfigMap or Secret with a ca.crt key.");
    }
    if (!grants.permits(GATEWAY, gatewayNamespace, new Kind("", kind), namespace, name)) {
      return new Problem(Reason.REF_NOT_PERMITTED, path + ": " + kind + " \"" + namespace + "/"
          + name + "\" is in another namespace and no ReferenceGrant allows the reference.");
    }
    String key = namespace + "/" + name;
    String ca;
    if (kind.equals("ConfigMap")) {
      ConfigMap cm = configMaps.get(key);
      if (cm == null) {
        return notFound(path, kind, key);
      }
      ca = cm.getData() == null ? null : cm.getData().get(CA_KEY);
    } else {
      Secret s = secrets.get(key);
      if (s == null) {
        return notFound(path, kind, key);
      }
      ca = secretValue(s);
    }
    String problem = ca == null ? "has no ca.crt" : PemCheck.chainProblem(ca);
    problem = problem == null ? null : problem.replace("tls.crt", "ca.crt");
    if (problem != null) {
      return new Problem(Reason.INVALID_CA_CERTIFICATE_REF,
          path + ": " + kind + " \"" + key + "\": " + problem + ".");
    }
    pem.append(ca.endsWith("\n") ? ca : ca + "\n");
    sources.add(kind + "/" + key);
    return null;
  }

  private static Problem notFound(String path, String kind, String key) {
    return new Problem(Reason.INVALID_CA_CERTIFICATE_REF,
        path + ": " + kind + " \"" + key + "\" not found.");
  }

  /** {@code ca.crt} of a Secret: {@code data} is base64, {@code stringData} plain. */
  private static @Nullable String secretValue(Secret secret) {
    Map<String, String> data = secret.getData();
    if (data != null && data.get(CA_KEY) != null) {
      try {
        return new String(Base64.getMimeDecoder().decode(data.get(CA_KEY)),
            StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        return null;
      }
    }
    Map<String, String> plain = secret.getStringData();
    return plain == null ? null : plain.get(CA_KEY);
  }
}
