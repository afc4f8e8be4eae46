package io.gatehouse.translator.gateway;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClassStatusBuilder;
import io.gatehouse.translator.ObjectRef;
import io.gatehouse.translator.StatusUpdate;
import io.gatehouse.translator.status.ConditionType;
import io.gatehouse.translator.status.Conditions;
import io.gatehouse.translator.status.Reason;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Accepts the GatewayClasses whose {@code spec.controllerName} is ours and lists the
 * {@link SupportedFeatures} in their status. Classes of other controllers are ignored entirely:
 * they get no status from us.
 */
public final class GatewayClassTranslator {
  private final String controllerName;

  public GatewayClassTranslator(String controllerName) {
    this.controllerName = controllerName;
  }

  /** The names of our classes; their statuses are added to {@code statuses}. */
  public Set<String> acceptClasses(List<GatewayClass> classes, List<StatusUpdate> statuses) {
    Set<String> ours = new TreeSet<>();
    for (GatewayClass gatewayClass : classes) {
      if (gatewayClass.getSpec() == null
          || !controllerName.equals(gatewayClass.getSpec().getControllerName())) {
        continue;
      }
      String name = gatewayClass.getMetadata().getName();
      ours.add(name);
      Long gen = gatewayClass.getMetadata().getGeneration();
      // SupportedVersion must accompany Accepted (GatewayClassConditionStatusSupportedVersion).
      // The translator sees no CRDs, so it cannot detect an unsupported bundle version.
      var status = new GatewayClassStatusBuilder()
          .withConditions(Conditions.of(ConditionType.ACCEPTED, true, Reason.ACCEPTED,
              "Accepted by controller " + controllerName + ".", gen),
              Conditions.of(ConditionType.SUPPORTED_VERSION, true, Reason.SUPPORTED_VERSION,
                  "The Gateway API version is supported.", gen))
          .withSupportedFeatures(SupportedFeatures.list())
          .build();
      statuses.add(new StatusUpdate(new ObjectRef("GatewayClass", "", name), status));
    }
    return ours;
  }
}
