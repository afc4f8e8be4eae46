package io.gatehouse.translator.gateway;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.LocalParametersReference;
import io.gatehouse.translator.status.Reason;
import io.gatehouse.translator.Namespaces;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewaySpecAddress;
import io.gatehouse.model.GatewayRef;
import io.gatehouse.translator.status.Problem;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Validates the Gateways of our classes and picks their address: the first {@code spec.addresses}
 * entry of type IPAddress, else the address the infrastructure assigned (the snapshot's
 * {@code gatewayAddresses}). Gateways of other classes are ignored entirely.
 */
public final class GatewayTranslator {
  private static final String IP_ADDRESS = "IPAddress";

  private GatewayTranslator() {
  }

  /** Our Gateways, validated, sorted by namespace and name. */
  public static List<ValidatedGateway> validateGateways(List<Gateway> gateways,
      Set<String> ourClasses, Map<String, String> assignedAddresses,
      CertificateResolver certificates) {
    List<ValidatedGateway> out = new ArrayList<>();
    for (Gateway g : gateways) {
      if (g.getSpec() == null || !ourClasses.contains(g.getSpec().getGatewayClassName())) {
        continue;
      }
      GatewayRef ref = new GatewayRef(Namespaces.of(g), g.getMetadata().getName());
      List<Problem> problems = new ArrayList<>();
      List<ValidatedListener> listeners = ListenerValidator.validateListeners(g, certificates,
          problems);
      out.add(new ValidatedGateway(ref, g.getMetadata().getGeneration(),
          address(g, assignedAddresses.get(ref.toString())), listeners, problems,
          parametersProblem(g)));
    }
    out.sort((a, b) -> a.ref().compareTo(b.ref()));
    return out;
  }

  /**
   * Gateway API (GatewayInfrastructure.parametersRef): a referent that cannot be found or has an
   * unsupported kind rejects the Gateway with InvalidParameters. Gatehouse has no Gateway
   * parameters kind yet, so every parametersRef is unsupported.
   */
  private static @Nullable Problem parametersProblem(Gateway g) {
    var infra = g.getSpec().getInfrastructure();
    LocalParametersReference ref = infra == null ? null : infra.getParametersRef();
    if (ref == null) {
      return null;
    }
    String group = ref.getGroup() == null ? "" : ref.getGroup();
    return new Problem(Reason.INVALID_PARAMETERS, "spec.infrastructure.parametersRef: "
        + (group.isEmpty() ? "" : group + "/") + ref.getKind() + " \"" + ref.getName()
        + "\" is not a supported parameters kind; Gatehouse takes no Gateway parameters.");
  }

  private static @Nullable String address(Gateway g, @Nullable String assigned) {
    List<GatewaySpecAddress> addresses = g.getSpec().getAddresses();
    if (addresses != null) {
      for (GatewaySpecAddress a : addresses) {
        if ((a.getType() == null || IP_ADDRESS.equals(a.getType())) && a.getValue() != null) {
          return a.getValue();
        }
      }
    }
    return assigned;
  }
}
