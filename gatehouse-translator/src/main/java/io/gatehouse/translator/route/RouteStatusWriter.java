package io.gatehouse.translator.route;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReference;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReferenceBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteParentStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteParentStatusBuilder;
import io.gatehouse.translator.status.ConditionType;
import io.gatehouse.translator.status.Conditions;
import io.gatehouse.translator.status.Problem;
import io.gatehouse.translator.status.Reason;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Writes one {@code status.parents[]} entry: the parentRef with explicit group and kind (an omitted
 * group or kind never matches in status), our controller name, and the conditions Accepted,
 * ResolvedRefs and, when some rules were dropped, PartiallyInvalid (message "Dropped Rule...", as
 * the spec requires).
 */
final class RouteStatusWriter {
  private final String controllerName;

  RouteStatusWriter(String controllerName) {
    this.controllerName = controllerName;
  }

  RouteParentStatus parentStatus(ParentReference ref, ParentResult result,
      List<TranslatedRule> rules, @Nullable Long gen) {
    List<Problem> dropped = new ArrayList<>();
    List<Problem> refProblems = new ArrayList<>();
    for (TranslatedRule r : rules) {
      switch (r) {
        case TranslatedRule.Dropped d -> dropped.add(d.problem());
        case TranslatedRule.Kept k -> refProblems.addAll(k.refProblems());
      }
    }
    boolean allDropped = dropped.size() == rules.size();
    List<Condition> conditions = new ArrayList<>();
    Problem rejection = result.rejection();
    if (rejection != null) {
      conditions.add(Conditions.of(ConditionType.ACCEPTED, false, rejection.reason(),
          rejection.message(), gen));
    } else if (allDropped) {
      conditions.add(Conditions.of(ConditionType.ACCEPTED, false, Reason.UNSUPPORTED_VALUE,
          join(dropped), gen));
    } else {
      conditions.add(Conditions.of(ConditionType.ACCEPTED, true, Reason.ACCEPTED,
          "The route is accepted.", gen));
    }
    conditions.add(refProblems.isEmpty()
        ? Conditions.of(ConditionType.RESOLVED_REFS, true, Reason.RESOLVED_REFS,
            "All references are resolved.", gen)
        : Conditions.of(ConditionType.RESOLVED_REFS, false, refProblems.get(0).reason(),
            join(refProblems), gen));
    if (rejection == null && !allDropped && !dropped.isEmpty()) {
      conditions.add(Conditions.of(ConditionType.PARTIALLY_INVALID, true,
          Reason.UNSUPPORTED_VALUE, "Dropped Rule(s): " + join(dropped), gen));
    }
    return new RouteParentStatusBuilder().withParentRef(explicit(ref))
        .withControllerName(controllerName)
        .withConditions(conditions)
        .build();
  }

  private static ParentReference explicit(ParentReference ref) {
    return new ParentReferenceBuilder()
        .withGroup(ref.getGroup() == null ? "gateway.networking.k8s.io" : ref.getGroup())
        .withKind(ref.getKind() == null ? "Gateway" : ref.getKind())
        .withNamespace(ref.getNamespace())
        .withName(ref.getName())
        .withSectionName(ref.getSectionName())
        .withPort(ref.getPort())
        .build();
  }

  private static String join(List<Problem> problems) {
    return String.join(" ", problems.stream().map(Problem::message).toList());
  }
}
