package io.gatehouse.translator.status;

/** Condition types the translator writes, with their exact Gateway API spelling. */
public enum ConditionType {
  /** GatewayClass, Gateway, listener and route parent: the object's spec was accepted. */
  ACCEPTED("Accepted"),
  /** Gateway and listener: the configuration was handed to the data plane. */
  PROGRAMMED("Programmed"),
  /** Listener and route parent: every reference could be resolved. */
  RESOLVED_REFS("ResolvedRefs"),
  /** Listener: it conflicts with another listener of the same Gateway. */
  CONFLICTED("Conflicted"),
  /** Route parent: some rules were dropped, the rest is served; only ever written as True. */
  PARTIALLY_INVALID("PartiallyInvalid"),
  /** Gateway: at least one ListenerSet is attached to it (GEP-1713). */
  ATTACHED_LISTENER_SETS("AttachedListenerSets"),
  /** GatewayClass: the installed Gateway API version is supported. */
  SUPPORTED_VERSION("SupportedVersion");

  private final String value;

  ConditionType(String value) {
    this.value = value;
  }

  /** The string written to {@code status.conditions[].type}. */
  public String value() {
    return value;
  }
}
