package io.gatehouse.translator.policy;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.BackendTLSPolicy;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.LocalPolicyTargetReferenceWithSectionName;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReferenceBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.PolicyAncestorStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.PolicyAncestorStatusBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.PolicyStatusBuilder;
import io.gatehouse.model.Cluster;
import io.gatehouse.model.GatewayConfig;
import io.gatehouse.model.GatewayRef;
import io.gatehouse.model.UpstreamTls;
import io.gatehouse.translator.Namespaces;
import io.gatehouse.translator.ObjectRef;
import io.gatehouse.translator.StatusUpdate;
import io.gatehouse.translator.status.ConditionType;
import io.gatehouse.translator.status.Conditions;
import io.gatehouse.translator.status.Problem;
import io.gatehouse.translator.status.Reason;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * BackendTLSPolicy (gateway.networking.k8s.io/v1): turns each policy into the {@link UpstreamTls}
 * of the clusters of the Service ports it targets, and writes its status on every Gateway that
 * forwards to such a cluster (the policy's ancestors).
 *
 * <p>
 * Gateway API rules followed here: a {@code targetRef} names a core Service, and its optional
 * {@code sectionName} a Service port by name; when several policies target the same Service and
 * sectionName, the oldest by {@code creationTimestamp}, then the first by name, wins and the others
 * get Accepted=False/Conflicted; a policy for a port takes precedence over one for the whole
 * Service. Invalid CA references give ResolvedRefs=False (InvalidKind or InvalidCACertificateRef),
 * and Accepted=False/NoValidCACertificate when none is valid. A Service targeted by any policy is
 * never reached in cleartext: when the policy cannot be used (an invalid reference, an invalid
 * field), its clusters trust nothing and the proxy answers 503.
 */
public final class BackendTlsPolicies {
  private static final String GATEWAY_GROUP = "gateway.networking.k8s.io";
  private static final String SERVICE_PREFIX = "service/";

  /** A targeted Service port ({@code sectionName}), or the whole Service (null section). */
  private record Target(String namespace, String service, @Nullable String section) {
  }

  /** One policy after validation. */
  private record Validated(BackendTLSPolicy policy, ObjectRef ref, List<Target> targets,
      UpstreamTls tls, @Nullable Problem notAccepted, @Nullable Problem refs) {
  }

  private final List<Validated> policies = new ArrayList<>();
  private final Map<Target, Validated> winners = new HashMap<>();
  private final Map<String, Service> services = new HashMap<>();

  private BackendTlsPolicies() {
  }

  /** Validates every policy and picks the winner of each target. */
  public static BackendTlsPolicies of(List<BackendTLSPolicy> policies, List<ConfigMap> configMaps,
      List<Service> services) {
    BackendTlsPolicies out = new BackendTlsPolicies();
    services.forEach(s -> out.services.put(Namespaces.of(s) + "/" + s.getMetadata().getName(), s));
    CaBundles bundles = new CaBundles(configMaps);
    policies.stream()
        .filter(p -> p.getMetadata() != null && p.getMetadata().getName() != null)
        .sorted(PRECEDENCE)
        .forEach(p -> {
          Validated v = validate(p, bundles);
          out.policies.add(v);
          v.targets().forEach(t -> out.winners.putIfAbsent(t, v));
        });
    return out;
  }

  /**
   * Gateway API (BackendTLSPolicySpec.targetRefs): the older policy by creation timestamp wins,
   * then the first by name. A policy without a timestamp (a file in standalone mode) counts as
   * oldest, so names decide among those.
   */
  private static final Comparator<BackendTLSPolicy> PRECEDENCE = Comparator
      .comparing((BackendTLSPolicy p) -> Objects.requireNonNullElse(
          p.getMetadata().getCreationTimestamp(), ""))
      .thenComparing(p -> p.getMetadata().getName());

  /** {@code cluster} with the TLS of the winning policy for its Service port, if any. */
  public Cluster apply(Cluster cluster) {
    Validated v = policyFor(cluster.name());
    return v == null ? cluster : cluster.withTls(v.tls());
  }

  private @Nullable Validated policyFor(String clusterName) {
    for (Target t : targetsOf(clusterName)) {
      Validated v = winners.get(t);
      if (v != null) {
        return v;
      }
    }
    return null;
  }

  /**
   * The port target, then the whole-Service target of a {@code service/ns/name/port} cluster (or of
   * its {@code service/ns/name/port/h2c} twin).
   */
  private List<Target> targetsOf(String clusterName) {
    if (!clusterName.startsWith(SERVICE_PREFIX)) {
      return List.of();
    }
    String[] parts = clusterName.substring(SERVICE_PREFIX.length()).split("/");
    // service/<ns>/<name>/<port>/h2c: the h2c cluster GRPCRoutes use for the same Service port.
    if (parts.length != 3 && !(parts.length == 4 && parts[3].equals("h2c"))) {
      return List.of();
    }
    Target whole = new Target(parts[0], parts[1], null);
    String portName = portName(parts[0], parts[1], parts[2]);
    return portName == null
        ? List.of(whole)
        : List.of(new Target(parts[0], parts[1], portName), whole);
  }

  private @Nullable String portName(String namespace, String service, String port) {
    Service s = services.get(namespace + "/" + service);
    if (s == null || s.getSpec() == null || s.getSpec().getPorts() == null) {
      return null;
    }
    for (ServicePort p : s.getSpec().getPorts()) {
      if (p.getPort() != null && String.valueOf(p.getPort()).equals(port)
          && p.getName() != null && !p.getName().isEmpty()) {
        return p.getName();
      }
    }
    return null;
  }

  /**
   * One status per policy that some served Gateway uses: an ancestor entry per such Gateway, all
   * with the same Accepted and ResolvedRefs conditions.
   */
  public List<StatusUpdate> statuses(List<GatewayConfig> configs, String controllerName) {
    Map<Validated, TreeSet<GatewayRef>> ancestors = new HashMap<>();
    for (GatewayConfig config : configs) {
      for (String cluster : config.clusters().keySet()) {
        for (Target t : targetsOf(cluster)) {
          for (Validated v : policies) {
            if (v.targets().contains(t)) {
              ancestors.computeIfAbsent(v, x -> new TreeSet<>()).add(config.gateway());
            }
          }
        }
      }
    }
    List<StatusUpdate> out = new ArrayList<>();
    for (Validated v : policies) {
      TreeSet<GatewayRef> gateways = ancestors.get(v);
      if (gateways == null) {
        continue;
      }
      List<PolicyAncestorStatus> entries = new ArrayList<>();
      for (GatewayRef g : gateways) {
        entries.add(new PolicyAncestorStatusBuilder()
            .withAncestorRef(new ParentReferenceBuilder().withGroup(GATEWAY_GROUP)
                .withKind("Gateway").withNamespace(g.namespace()).withName(g.name()).build())
            .withControllerName(controllerName)
            .withConditions(conditions(v))
            .build());
      }
      out.add(new StatusUpdate(v.ref(),
          new PolicyStatusBuilder().withAncestors(entries).build()));
    }
    return out;
  }

  private List<Condition> conditions(Validated v) {
    Long gen = v.policy().getMetadata().getGeneration();
    Problem conflict = conflictOf(v);
    Problem notAccepted = conflict != null ? conflict : v.notAccepted();
    Condition accepted = notAccepted == null
        ? Conditions.of(ConditionType.ACCEPTED, true, Reason.ACCEPTED,
            "The policy is accepted.", gen)
        : Conditions.of(ConditionType.ACCEPTED, false, notAccepted.reason(),
            notAccepted.message(), gen);
    Condition resolved = v.refs() == null
        ? Conditions.of(ConditionType.RESOLVED_REFS, true, Reason.RESOLVED_REFS,
            "All references are resolved.", gen)
        : Conditions.of(ConditionType.RESOLVED_REFS, false, v.refs().reason(),
            v.refs().message(), gen);
    return List.of(accepted, resolved);
  }

  private @Nullable Problem conflictOf(Validated v) {
    for (int i = 0; i < v.targets().size(); i++) {
      Validated winner = winners.get(v.targets().get(i));
      if (winner != v) {
        return new Problem(Reason.CONFLICTED, "spec.targetRefs[" + i + "]: BackendTLSPolicy \""
            + winner.ref().name() + "\" targets the same Service port and takes precedence.");
      }
    }
    return null;
  }

  private static Validated validate(BackendTLSPolicy p, CaBundles bundles) {
    String ns = Namespaces.of(p);
    ObjectRef ref = new ObjectRef("BackendTLSPolicy", ns, p.getMetadata().getName());
    String source = "BackendTLSPolicy/" + ns + "/" + p.getMetadata().getName();
    List<Target> targets = p.getSpec() == null
        ? List.of()
        : targets(ns,
            p.getSpec().getTargetRefs());
    var validation = p.getSpec() == null ? null : p.getSpec().getValidation();
    if (validation == null) {
      return rejected(p, ref, targets, source,
          "spec.validation: The validation settings are required.");
    }
    String hostname = validation.getHostname();
    if (hostname == null || hostname.isEmpty()) {
      return rejected(p, ref, targets, source, "spec.validation.hostname: A hostname is required.");
    }
    List<UpstreamTls.SubjectAltName> sans = new ArrayList<>();
    Problem sanProblem = SubjectAltNames.translate(validation.getSubjectAltNames(), sans);
    if (sanProblem != null) {
      return new Validated(p, ref, targets, trustNothing(hostname, source), sanProblem, null);
    }
    var caRefs = validation.getCaCertificateRefs() == null
        ? List.<io.fabric8.kubernetes.api.model.gatewayapi.v1.LocalObjectReference>of()
        : validation.getCaCertificateRefs();
    String wellKnown = validation.getWellKnownCACertificates();
    boolean hasWellKnown = wellKnown != null && !wellKnown.isEmpty();
    if (caRefs.isEmpty() == !hasWellKnown) {
      return rejected(p, ref, targets, source, "spec.validation: Exactly one of "
          + "caCertificateRefs and wellKnownCACertificates must be set.");
    }
    if (hasWellKnown) {
      if (!wellKnown.equals("System")) {
        return rejected(p, ref, targets, source, "spec.validation.wellKnownCACertificates: \""
            + wellKnown + "\" is not supported; the only supported value is \"System\".");
      }
      return new Validated(p, ref, targets,
          new UpstreamTls(hostname, List.of(), true, sans, null, source), null, null);
    }
    List<String> pems = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    for (int i = 0; i < caRefs.size(); i++) {
      CaBundles.Resolution r = bundles.resolve(ns, caRefs.get(i),
          "spec.validation.caCertificateRefs[" + i + "]");
      if (r.problem() != null) {
        problems.add(r.problem());
      } else {
        pems.add(r.pem());
      }
    }
    if (problems.isEmpty()) {
      return new Validated(p, ref, targets,
          new UpstreamTls(hostname, pems, false, sans, null, source), null, null);
    }
    // Gateway API: connections using an invalid CACertificateRef MUST fail with a 5xx; we fail
    // them all rather than guess which CA the backend's certificate was meant to chain to.
    Problem refs = new Problem(problems.get(0).reason(),
        String.join(" ", problems.stream().map(Problem::message).toList()));
    Problem notAccepted = pems.isEmpty()
        ? new Problem(Reason.NO_VALID_CA_CERTIFICATE, "spec.validation.caCertificateRefs: "
            + "No CA certificate reference is valid.")
        : null;
    return new Validated(p, ref, targets, trustNothing(hostname, source), notAccepted, refs);
  }

  private static Validated rejected(BackendTLSPolicy p, ObjectRef ref, List<Target> targets,
      String source, String message) {
    String hostname = p.getSpec() != null && p.getSpec().getValidation() != null
        && p.getSpec().getValidation().getHostname() != null
            ? p.getSpec().getValidation().getHostname()
            : "";
    return new Validated(p, ref, targets, trustNothing(hostname, source),
        new Problem(Reason.INVALID, message), null);
  }

  private static UpstreamTls trustNothing(String hostname, String source) {
    return new UpstreamTls(hostname, List.of(), false, List.of(), null, source);
  }

  /** The core Service targets; other kinds are not supported and target nothing. */
  private static List<Target> targets(String namespace,
      @Nullable List<LocalPolicyTargetReferenceWithSectionName> refs) {
    List<Target> out = new ArrayList<>();
    for (var r : refs == null ? List.<LocalPolicyTargetReferenceWithSectionName>of() : refs) {
      boolean core = r.getGroup() == null || r.getGroup().isEmpty();
      if (core && "Service".equals(r.getKind()) && r.getName() != null) {
        String section = r.getSectionName() == null || r.getSectionName().isEmpty()
            ? null
            : r.getSectionName();
        out.add(new Target(namespace, r.getName(), section));
      }
    }
    return out;
  }
}
