package io.gatehouse.translator;

import static java.util.Objects.requireNonNull;

/**
 * Settings of the translator.
 *
 * @param controllerName the {@code spec.controllerName} of GatewayClasses we own
 */
public record TranslatorOptions(String controllerName) {
  /** The controller name used when none is configured. */
  public static final String DEFAULT_CONTROLLER_NAME = "gatehouse.io/gateway-controller";

  public TranslatorOptions {
    requireNonNull(controllerName, "controllerName");
  }

  /** The defaults. */
  public static TranslatorOptions defaults() {
    return new TranslatorOptions(DEFAULT_CONTROLLER_NAME);
  }
}
