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
   * Core: Gateway, HTTPRoute, ReferenceGrant. Extended: response header modification, method and
   * query parameter matching, which the translator maps and the proxy serves (RouteEntry,
   * HeaderEdits); the RequestRedirect variants (scheme, path, port, 303/307/308), which the proxy
   * answers (RedirectLocation); the URLRewrite hostname and path, which the proxy applies to the
   * upstream request (UpstreamRewrite); named rules; parentRef port attachment; rule request and
   * backend request timeouts, which the proxy enforces (ForwardExchange); WebSocket backends
   * (appProtocol kubernetes.io/ws), whose upgrades the proxy relays (WebSocketTunnel). Each one's
   * conformance cases pass.
   */
  static final List<String> NAMES = List.of(
      "Gateway",
      "HTTPRoute",
      "HTTPRoute303RedirectStatusCode",
      "HTTPRoute307RedirectStatusCode",
      "HTTPRoute308RedirectStatusCode",
      "HTTPRouteBackendProtocolWebSocket",
      "HTTPRouteBackendTimeout",
      "HTTPRouteHostRewrite",
      "HTTPRouteMethodMatching",
      "HTTPRouteNamedRouteRule",
      "HTTPRouteParentRefPort",
      "HTTPRoutePathRedirect",
      "HTTPRoutePathRewrite",
      "HTTPRoutePortRedirect",
      "HTTPRouteQueryParamMatching",
      "HTTPRouteRequestTimeout",
      "HTTPRouteResponseHeaderModification",
      "HTTPRouteSchemeRedirect",
      "ReferenceGrant");

  private SupportedFeatures() {
  }

  /** The features, sorted by name, as fabric8 status entries. */
  public static List<SupportedFeature> list() {
    return NAMES.stream().sorted()
        .map(n -> new SupportedFeatureBuilder().withName(n).build())
        .toList();
  }
}
