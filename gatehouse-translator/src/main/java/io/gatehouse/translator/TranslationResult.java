package io.gatehouse.translator;

import io.gatehouse.model.GatewayConfig;
import java.util.List;

/**
 * The output of one translation.
 *
 * @param gateways one config per Gateway of our GatewayClass that has at least one valid listener,
 * sorted by namespace and name
 * @param statuses one update per input object the translator owns status for, sorted by object
 */
public record TranslationResult(List<GatewayConfig> gateways, List<StatusUpdate> statuses) {
  public TranslationResult {
    gateways = List.copyOf(gateways);
    statuses = List.copyOf(statuses);
  }
}
