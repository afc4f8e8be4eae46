package io.gatehouse.translator.gateway;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.LocalParametersReference;
import io.gatehouse.translator.status.Reason;
import io.gatehouse.translator.Namespaces;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.gatehouse.model.GatewayRef;
import io.gatehouse.translator.status.Problem;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Validates the Gateways of our classes and resolves their addresses ({@link GatewayAddresses}):
 * the IPAddress entries of {@code spec.addresses} the infrastructure can bind, else the address it
 * assigned (the snapshot's {@code gatewayAddresses}). Gateways of other classes are ignored
 * entirely.
 */
public final class GatewayTranslator {
  private GatewayTranslator() {
  }

  /** Our Gateways, validated, sorted by namespace and name, without frontend CA references. */
  public static List<ValidatedGateway> validateGateways(List<Gateway> gateways,
      Set<String> ourClasses, Map<String, String> assignedAddresses,
      Set<String> unusableAddresses, CertificateResolver certificates) {
    return validateGateways(gateways, ourClasses, assignedAddresses, unusableAddresses,
        certificates, FrontendValidation.none());
  }

  /**
   * Our Gateways, validated, sorted by namespace and name; {@code frontend} resolves their
   * {@code spec.tls.frontend} CA references.
   */
  public static List<ValidatedGateway> validateGateways(List<Gateway> gateways,
      Set<String> ourClasses, Map<String, String> assignedAddresses,
      Set<String> unusableAddresses, CertificateResolver certificates,
      FrontendValidation frontend) {
    List<ValidatedGateway> out = new ArrayList<>();
    for (Gateway g : gateways) {
      if (g.getSpec() == null || !ourClasses.contains(g.getSpec().getGatewayClassName())) {
        continue;
      }
      GatewayRef ref = new GatewayRef(Namespaces.of(g), g.getMetadata().getName());
      List<Problem> problems = new ArrayList<>();
      List<ValidatedListener> listeners = frontend.apply(g,
          ListenerValidator.validateListeners(g, certificates, problems));
      GatewayAddresses addresses = GatewayAddresses.resolve(g.getSpec().getAddresses(),
          assignedAddresses.get(ref.toString()), unusableAddresses);
      Problem parameters = parametersProblem(g);
      out.add(new ValidatedGateway(ref, g.getMetadata().getGeneration(), addresses, listeners,
          problems, parameters != null ? parameters : addresses.unsupported()));
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
}
