package io.gatehouse.translator.route;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.Fraction;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRequestMirrorFilter;
import io.gatehouse.model.Cluster;
import io.gatehouse.model.Filter;
import io.gatehouse.translator.backend.BackendResolution;
import io.gatehouse.translator.backend.BackendResolver;
import io.gatehouse.translator.status.Problem;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Translates a RequestMirror filter (Gateway API {@code HTTPRequestMirrorFilter}). Its backendRef
 * is resolved like any backendRef (kind, ReferenceGrant, Service and port); one that cannot be
 * resolved is left out and reported through ResolvedRefs=False, as the spec asks ("not configure
 * this backend in the underlying implementation"), while the rule keeps serving. {@code percent}
 * (0-100) or {@code fraction} (numerator 0 to denominator, denominator at least 1, 100 when
 * omitted) sets the mirrored share; neither means every request, both or a value out of range drops
 * the rule (the CRD forbids them, so only a resource that bypassed validation has them).
 */
final class MirrorTranslator {
  private MirrorTranslator() {
  }

  /** A RequestMirror filter with where it is written ({@code spec.rules[0].filters[1]...}). */
  record Written(HTTPRequestMirrorFilter filter, String path) {
    Written {
      requireNonNull(filter, "filter");
      requireNonNull(path, "path");
    }
  }

  /**
   * The model filter for {@code mirror}, or null when it cannot be served: a resolution problem
   * goes to {@code refProblems}, an invalid share to {@code invalid}. The mirror's cluster is added
   * to {@code clusters}.
   */
  static Filter.@Nullable RequestMirror translateMirror(BackendResolver backends,
      String namespace, Written mirror, Map<String, Cluster> clusters, List<Problem> refProblems,
      RuleProblems invalid) {
    HTTPRequestMirrorFilter f = mirror.filter();
    int[] share = share(f, mirror.path(), invalid);
    if (f.getBackendRef() == null) {
      invalid.unsupported(mirror.path() + ".backendRef", "A value is required.");
      return null;
    }
    BackendResolution resolved = backends.resolve(namespace, f.getBackendRef(),
        mirror.path() + ".backendRef");
    return switch (resolved) {
      case BackendResolution.Invalid inv -> {
        refProblems.add(inv.problem());
        yield null;
      }
      case BackendResolution.Valid v -> {
        clusters.put(v.cluster().name(), v.cluster());
        yield share == null
            ? null
            : new Filter.RequestMirror(v.cluster().name(), share[0],
                share[1]);
      }
    };
  }

  /** {numerator, denominator}, or null after recording why the share is invalid. */
  private static int @Nullable [] share(HTTPRequestMirrorFilter f, String path,
      RuleProblems invalid) {
    Integer percent = f.getPercent();
    Fraction fraction = f.getFraction();
    if (percent != null && fraction != null) {
      invalid.unsupported(path, "Only one of percent and fraction may be set.");
      return null;
    }
    if (percent != null) {
      if (percent < 0 || percent > 100) {
        invalid.unsupported(path + ".percent", percent + " is not between 0 and 100.");
        return null;
      }
      return new int[]{percent, 100};
    }
    if (fraction != null) {
      int denominator = fraction.getDenominator() == null ? 100 : fraction.getDenominator();
      Integer numerator = fraction.getNumerator();
      if (numerator == null) {
        invalid.unsupported(path + ".fraction.numerator", "A value is required.");
        return null;
      }
      if (denominator < 1) {
        invalid.unsupported(path + ".fraction.denominator", denominator
            + " is not at least 1.");
        return null;
      }
      if (numerator < 0 || numerator > denominator) {
        invalid.unsupported(path + ".fraction.numerator", numerator + " is not between 0 and "
            + "the denominator " + denominator + ".");
        return null;
      }
      return new int[]{numerator, denominator};
    }
    return new int[]{1, 1};
  }
}
