package io.gatehouse.translator.status;

/** Condition reasons, with their exact Gateway API spelling (apis/v1 shared and gateway types). */
public enum Reason {
  /** Accepted=True on a GatewayClass, Gateway, listener or route parent. */
  ACCEPTED("Accepted"),
  /** Programmed=True on a Gateway or listener. */
  PROGRAMMED("Programmed"),
  /** ResolvedRefs=True on a listener or route parent. */
  RESOLVED_REFS("ResolvedRefs"),
  /** Conflicted=False on a listener. */
  NO_CONFLICTS("NoConflicts"),
  /**
   * Conflicted=True: another listener on the same port has the same hostname. Also Accepted=False
   * on a route parent: an HTTPRoute and a GRPCRoute whose hostnames intersect on one listener, for
   * the one that does not take precedence (Gateway API GRPCRouteSpec.hostnames; the reason is ours,
   * the spec names none).
   */
  HOSTNAME_CONFLICT("HostnameConflict"),
  /** Conflicted=True: another listener on the same port speaks another protocol. */
  PROTOCOL_CONFLICT("ProtocolConflict"),
  /** Listener Accepted=False: the port is missing or outside 1-65535, so it cannot be bound. */
  PORT_UNAVAILABLE("PortUnavailable"),
  /**
   * Listener Accepted=False: the protocol is not (yet) supported; route ResolvedRefs=False: a
   * backend's appProtocol is not supported (e.g. {@code kubernetes.io/wss}).
   */
  UNSUPPORTED_PROTOCOL("UnsupportedProtocol"),
  /** Listener ResolvedRefs=False: allowedRoutes.kinds names a kind we cannot attach. */
  INVALID_ROUTE_KINDS("InvalidRouteKinds"),
  /** Gateway Accepted: one or more listeners are invalid (True if some remain, else False). */
  LISTENERS_NOT_VALID("ListenersNotValid"),
  /** Programmed=False: the Gateway or listener cannot be configured. */
  INVALID("Invalid"),
  /** Gateway Programmed=False: no address is available to bind. */
  ADDRESS_NOT_ASSIGNED("AddressNotAssigned"),
  /** Gateway Programmed=False: an address requested in spec.addresses cannot be used. */
  ADDRESS_NOT_USABLE("AddressNotUsable"),
  /** Gateway Accepted=False: spec.addresses has an address type we do not support. */
  UNSUPPORTED_ADDRESS("UnsupportedAddress"),
  /** Route Accepted=False: no listener's allowedRoutes admits the route. */
  NOT_ALLOWED_BY_LISTENERS("NotAllowedByListeners"),
  /** Route Accepted=False: no listener hostname intersects the route hostnames. */
  NO_MATCHING_LISTENER_HOSTNAME("NoMatchingListenerHostname"),
  /** Route Accepted=False: the parentRef names no Gateway, or no listener by sectionName/port. */
  NO_MATCHING_PARENT("NoMatchingParent"),
  /**
   * Route Accepted=False or PartiallyInvalid=True: a value (e.g. a filter type) is unsupported;
   * listener Accepted=False: a listener field has a value we do not support (HTTPS Passthrough).
   */
  UNSUPPORTED_VALUE("UnsupportedValue"),
  /**
   * Route or listener ResolvedRefs=False: a cross-namespace backendRef or certificateRef has no
   * ReferenceGrant.
   */
  REF_NOT_PERMITTED("RefNotPermitted"),
  /** Route ResolvedRefs=False: a backendRef names an unknown group/kind. */
  INVALID_KIND("InvalidKind"),
  /** Route ResolvedRefs=False: a backendRef names an object that does not exist. */
  BACKEND_NOT_FOUND("BackendNotFound"),
  /**
   * Listener ResolvedRefs=False: a TLS certificateRef names an unsupported kind, a missing Secret,
   * or a Secret without a valid PEM certificate chain and private key.
   */
  INVALID_CERTIFICATE_REF("InvalidCertificateRef"),
  /** Gateway Accepted=False: {@code spec.infrastructure.parametersRef} cannot be resolved. */
  INVALID_PARAMETERS("InvalidParameters"),
  /** ListenerSet Accepted=False: the parent Gateway's spec.allowedListeners does not admit it. */
  NOT_ALLOWED("NotAllowed"),
  /** ListenerSet Accepted=False: the parent Gateway does not exist or is not accepted. */
  PARENT_NOT_ACCEPTED("ParentNotAccepted"),
  /** Gateway AttachedListenerSets=True: at least one ListenerSet is attached. */
  LISTENER_SETS_ATTACHED("ListenerSetsAttached"),
  /** Gateway AttachedListenerSets=False: ListenerSets are allowed but none is attached. */
  NO_LISTENER_SETS_ATTACHED("NoListenerSetsAttached"),
  /** Gateway AttachedListenerSets=False: ListenerSets target the Gateway, which allows none. */
  LISTENER_SETS_NOT_ALLOWED("ListenerSetsNotAllowed"),
  /** GatewayClass SupportedVersion=True: the Gateway API version is one we support. */
  SUPPORTED_VERSION("SupportedVersion"),
  /** BackendTLSPolicy Accepted=False: every caCertificateRef is invalid. */
  NO_VALID_CA_CERTIFICATE("NoValidCACertificate"),
  /**
   * BackendTLSPolicy ResolvedRefs=False: a caCertificateRef names a missing ConfigMap or one
   * without a parseable PEM {@code ca.crt}.
   */
  INVALID_CA_CERTIFICATE_REF("InvalidCACertificateRef"),
  /**
   * BackendTLSPolicy Accepted=False: an older (or, at equal age, alphabetically first) policy
   * targets the same Service and sectionName.
   */
  CONFLICTED("Conflicted"),
  /**
   * Gateway ResolvedRefs=False: {@code spec.tls.backend.clientCertificateRef} names an unsupported
   * kind, a missing Secret or one without a valid PEM chain and key.
   */
  INVALID_CLIENT_CERTIFICATE_REF("InvalidClientCertificateRef"),
  /**
   * Listener ResolvedRefs=False: a {@code spec.tls.frontend} caCertificateRef names a kind other
   * than ConfigMap or Secret.
   */
  INVALID_CA_CERTIFICATE_KIND("InvalidCACertificateKind");

  private final String value;

  Reason(String value) {
    this.value = value;
  }

  /** The string written to {@code status.conditions[].reason}. */
  public String value() {
    return value;
  }
}
