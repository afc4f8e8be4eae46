package io.gatehouse.translator.gateway;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteGroupKind;
import io.gatehouse.translator.status.Problem;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One Gateway listener after validation.
 *
 * @param index position in {@code spec.listeners}
 * @param protocol {@code HTTP}, {@code HTTPS} or {@code UDP} when accepted
 * @param hostname normalised: lower case, {@code *} when absent
 * @param supportedKinds the route kinds it accepts (empty when none is valid)
 * @param notAccepted why Accepted is False, or null
 * @param invalidKinds why ResolvedRefs is False because of allowedRoutes.kinds, or null
 * @param conflict why Conflicted is True, or null
 * @param from {@code allowedRoutes.namespaces.from}: Same, All or Selector
 * @param selector the namespace selector when {@code from} is Selector
 * @param certificate the certificate an HTTPS listener serves, null otherwise
 * @param certificateProblem why ResolvedRefs is False because of tls.certificateRefs, or null; such
 * a listener takes routes but is not served
 * @param frontend the Gateway's client-certificate validation for this HTTPS listener's port
 * ({@code spec.tls.frontend}), null when none applies
 * @param tlsMode {@code Passthrough} or {@code Terminate} for a TLS listener, null otherwise
 */
public record ValidatedListener(int index, String name, int port, String protocol,
    String hostname, List<RouteGroupKind> supportedKinds, @Nullable Problem notAccepted,
    @Nullable Problem invalidKinds, @Nullable Problem conflict, String from,
    @Nullable LabelSelector selector, @Nullable TlsCertificate certificate,
    @Nullable Problem certificateProblem, @Nullable FrontendTls frontend,
    @Nullable String tlsMode) {
  public ValidatedListener {
    requireNonNull(name, "name");
    requireNonNull(hostname, "hostname");
    supportedKinds = List.copyOf(supportedKinds);
  }

  /** A listener that is not a TLS listener. */
  public ValidatedListener(int index, String name, int port, String protocol,
      String hostname, List<RouteGroupKind> supportedKinds, @Nullable Problem notAccepted,
      @Nullable Problem invalidKinds, @Nullable Problem conflict, String from,
      @Nullable LabelSelector selector, @Nullable TlsCertificate certificate,
      @Nullable Problem certificateProblem, @Nullable FrontendTls frontend) {
    this(index, name, port, protocol, hostname, supportedKinds, notAccepted, invalidKinds,
        conflict, from, selector, certificate, certificateProblem, frontend, null);
  }

  /** A listener without frontend client-certificate validation. */
  public ValidatedListener(int index, String name, int port, String protocol,
      String hostname, List<RouteGroupKind> supportedKinds, @Nullable Problem notAccepted,
      @Nullable Problem invalidKinds, @Nullable Problem conflict, String from,
      @Nullable LabelSelector selector, @Nullable TlsCertificate certificate,
      @Nullable Problem certificateProblem) {
    this(index, name, port, protocol, hostname, supportedKinds, notAccepted, invalidKinds,
        conflict, from, selector, certificate, certificateProblem, null);
  }

  /**
   * Whether routes may attach. Gateway API (ListenerStatus.attachedRoutes): attachment depends on
   * allowedRoutes and parentRefs only, so a listener with unresolved certificates still counts its
   * routes.
   */
  public boolean attachable() {
    return notAccepted == null && conflict == null && !supportedKinds.isEmpty();
  }

  /**
   * Whether it is served: attachable and, for HTTPS, with a valid certificate and, when the Gateway
   * validates client certificates on its port, at least one valid CA certificate.
   */
  public boolean servable() {
    return attachable() && certificateProblem == null
        && (!terminatesTls() || certificate != null)
        && (frontend == null || frontend.usable());
  }

  /** Whether it ends TLS with its own certificate: HTTPS, or TLS in mode Terminate. */
  public boolean terminatesTls() {
    return protocol.equals("HTTPS") || protocol.equals("TLS") && "Terminate".equals(tlsMode);
  }

  /** Whether routes of {@code kind} (group gateway.networking.k8s.io) may attach. */
  public boolean supportsKind(String kind) {
    return supportedKinds.stream().anyMatch(k -> kind.equals(k.getKind()));
  }

  /** This listener marked as conflicted. */
  ValidatedListener withConflict(Problem problem) {
    return new ValidatedListener(index, name, port, protocol, hostname, supportedKinds,
        notAccepted, invalidKinds, problem, from, selector, certificate, certificateProblem,
        frontend, tlsMode);
  }

  /**
   * This listener marked as conflicted with no supported kinds: a TLS mode conflict, where the
   * listener cannot serve any route kind at all.
   */
  ValidatedListener withModeConflict(Problem problem) {
    return new ValidatedListener(index, name, port, protocol, hostname, List.of(),
        notAccepted, invalidKinds, problem, from, selector, certificate, certificateProblem,
        frontend, tlsMode);
  }

  /** This listener with the frontend validation of its port. */
  ValidatedListener withFrontend(@Nullable FrontendTls tls) {
    return new ValidatedListener(index, name, port, protocol, hostname, supportedKinds,
        notAccepted, invalidKinds, conflict, from, selector, certificate, certificateProblem,
        tls, tlsMode);
  }

  /** Whether {@code allowedRoutes.namespaces} admits routes of {@code routeNamespace}. */
  public boolean admits(String routeNamespace, String gatewayNamespace,
      NamespaceSelector namespaces) {
    return switch (from) {
      case "All" -> true;
      case "Selector" -> selector != null && namespaces.matches(selector, routeNamespace);
      default -> routeNamespace.equals(gatewayNamespace);
    };
  }
}
