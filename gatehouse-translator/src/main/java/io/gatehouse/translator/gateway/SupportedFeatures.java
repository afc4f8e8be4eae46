package io.gatehouse.translator.gateway;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.SupportedFeature;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.SupportedFeatureBuilder;
import java.util.List;

/**
 * The Gateway API features Gatehouse declares in {@code GatewayClass.status.supportedFeatures}
 * (Gateway API 1.3+: objects {@code {name: <FeatureName>}}, sorted by name). Declaring a feature is
 * a promise that its conformance tests pass, so an extended feature is listed only once the
 * translator and the proxy both implement what its tests check.
 */
public final class SupportedFeatures {
  /**
   * Core: Gateway, HTTPRoute, ReferenceGrant; the rest are extended features. docs/features.md says
   * what each one does and which part of the proxy serves it; each one's conformance cases pass.
   */
  static final List<String> NAMES = List.of(
      "BackendTLSPolicy",
      "BackendTLSPolicySANValidation",
      "Gateway",
      "GatewayBackendClientCertificate",
      "GatewayAddressEmpty",
      "GatewayHTTPListenerIsolation",
      "GatewayFrontendClientCertificateValidation",
      "GatewayHTTPSListenerDetectMisdirectedRequests",
      "GatewayInfrastructurePropagation",
      "GatewayPort8080",
      "GatewayStaticAddresses",
      "GRPCRoute",
      "GRPCRouteNamedRouteRule",
      "GRPCRouteRequestHeaderModifier",
      "HTTPRoute",
      "HTTPRoute303RedirectStatusCode",
      "HTTPRoute307RedirectStatusCode",
      "HTTPRoute308RedirectStatusCode",
      "HTTPRouteBackendProtocolH2C",
      "HTTPRouteBackendProtocolWebSocket",
      "HTTPRouteBackendRequestHeaderModification",
      "HTTPRouteBackendRequestRedirect",
      "HTTPRouteBackendTimeout",
      "HTTPRouteBackendURLRewrite",
      "HTTPRouteCORS",
      "HTTPRouteDestinationPortMatching",
      "HTTPRouteHostRewrite",
      "HTTPRouteMethodMatching",
      "HTTPRouteNamedRouteRule",
      "HTTPRouteParentRefPort",
      "HTTPRoutePathRedirect",
      "HTTPRoutePathRewrite",
      "HTTPRoutePortRedirect",
      "HTTPRouteQueryParamMatching",
      "HTTPRouteRequestMirror",
      "HTTPRouteRequestMultipleMirrors",
      "HTTPRouteRequestPercentageMirror",
      "HTTPRouteRequestTimeout",
      "HTTPRouteResponseHeaderModification",
      "HTTPRouteRetry",
      "HTTPRouteRetryBackendTimeout",
      "HTTPRouteRetryConnectionError",
      "HTTPRouteSchemeRedirect",
      "ListenerSet",
      "ReferenceGrant",
      "TCPRoute",
      "TLSRoute",
      "TLSRouteModeMixed",
      "TLSRouteModeTerminate",
      "UDPRoute");

  private SupportedFeatures() {
  }

  /** The features, sorted by name, as fabric8 status entries. */
  public static List<SupportedFeature> list() {
    return NAMES.stream().sorted()
        .map(n -> new SupportedFeatureBuilder().withName(n).build())
        .toList();
  }
}
