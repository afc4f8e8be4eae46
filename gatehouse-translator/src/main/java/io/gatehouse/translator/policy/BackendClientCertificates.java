package io.gatehouse.translator.policy;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayStatusBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.SecretObjectReference;
import io.gatehouse.model.Cluster;
import io.gatehouse.model.GatewayConfig;
import io.gatehouse.model.GatewayRef;
import io.gatehouse.model.UpstreamTls;
import io.gatehouse.translator.Namespaces;
import io.gatehouse.translator.StatusUpdate;
import io.gatehouse.translator.gateway.CertificateResolver;
import io.gatehouse.translator.gateway.TlsCertificate;
import io.gatehouse.translator.status.ConditionType;
import io.gatehouse.translator.status.Conditions;
import io.gatehouse.translator.status.Problem;
import io.gatehouse.translator.status.Reason;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A Gateway's {@code spec.tls.backend.clientCertificateRef} (Gateway API GatewayBackendTLS): the
 * certificate the Gateway presents to backends it reaches over TLS (BackendTLSPolicy). It must name
 * a core Secret with a PEM chain and key (else the Gateway gets ResolvedRefs=False with
 * InvalidClientCertificateRef), in the Gateway's namespace or allowed by a ReferenceGrant (else
 * RefNotPermitted); the Gateway stays Accepted either way and presents no certificate. The Gateway
 * gets a ResolvedRefs condition only when the field is set.
 */
public final class BackendClientCertificates {
  private record Resolved(@Nullable TlsCertificate certificate, @Nullable Problem problem,
      @Nullable Long generation) {
  }

  private final Map<GatewayRef, Resolved> byGateway = new HashMap<>();

  private BackendClientCertificates() {
  }

  /** Resolves the reference of every Gateway that sets one. */
  public static BackendClientCertificates of(List<Gateway> gateways,
      CertificateResolver certificates) {
    BackendClientCertificates out = new BackendClientCertificates();
    for (Gateway g : gateways) {
      SecretObjectReference ref = g.getSpec() == null || g.getSpec().getTls() == null
          || g.getSpec().getTls().getBackend() == null
              ? null
              : g.getSpec().getTls().getBackend().getClientCertificateRef();
      if (ref == null) {
        continue;
      }
      CertificateResolver.Resolution r = certificates.resolve(Namespaces.of(g), ref,
          "spec.tls.backend.clientCertificateRef");
      Problem problem = r.problem();
      if (problem != null && problem.reason() == Reason.INVALID_CERTIFICATE_REF) {
        problem = new Problem(Reason.INVALID_CLIENT_CERTIFICATE_REF, problem.message());
      }
      out.byGateway.put(new GatewayRef(Namespaces.of(g), g.getMetadata().getName()),
          new Resolved(r.certificate(), problem, g.getMetadata().getGeneration()));
    }
    return out;
  }

  /** {@code config} with the Gateway's client certificate on every TLS cluster. */
  public GatewayConfig apply(GatewayConfig config) {
    Resolved r = byGateway.get(config.gateway());
    if (r == null || r.certificate() == null) {
      return config;
    }
    TlsCertificate c = r.certificate();
    UpstreamTls.ClientCertificate client = new UpstreamTls.ClientCertificate(c.chainPem(),
        c.keyPem(), c.source());
    Map<String, Cluster> clusters = new LinkedHashMap<>();
    config.clusters().forEach((name, cluster) -> clusters.put(name, cluster.tls() == null
        ? cluster
        : cluster.withTls(cluster.tls().withClientCertificate(client))));
    return new GatewayConfig(config.gateway(), config.generation(), config.listeners(), clusters);
  }

  /**
   * {@code update} with the Gateway-level ResolvedRefs condition when the Gateway sets the field.
   */
  public StatusUpdate addToGatewayStatus(StatusUpdate update, GatewayRef gateway) {
    Resolved r = byGateway.get(gateway);
    if (r == null || !(update.status() instanceof GatewayStatus status)) {
      return update;
    }
    Condition condition = r.problem() == null
        ? Conditions.of(ConditionType.RESOLVED_REFS, true, Reason.RESOLVED_REFS,
            "All references are resolved.", r.generation())
        : Conditions.of(ConditionType.RESOLVED_REFS, false, r.problem().reason(),
            r.problem().message(), r.generation());
    List<Condition> conditions = new ArrayList<>(
        status.getConditions() == null ? List.of() : status.getConditions());
    conditions.add(condition);
    GatewayStatus copy = new GatewayStatusBuilder(status).withConditions(conditions).build();
    return new StatusUpdate(update.object(), copy);
  }
}
