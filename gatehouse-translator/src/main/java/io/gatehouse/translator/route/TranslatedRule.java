package io.gatehouse.translator.route;

import static java.util.Objects.requireNonNull;

import io.gatehouse.model.Cluster;
import io.gatehouse.model.Route;
import io.gatehouse.translator.status.Problem;
import java.util.List;

/** One HTTPRoute rule after translation: kept (with its model routes) or dropped. */
sealed interface TranslatedRule {
  /**
   * A rule that is served.
   *
   * @param routes one model route per match, in match order
   * @param clusters the clusters its Forward action names
   * @param refProblems backendRefs that could not be resolved (their share gets 500)
   */
  record Kept(int index, List<Route> routes, List<Cluster> clusters, List<Problem> refProblems)
      implements
        TranslatedRule {
    public Kept {
      routes = List.copyOf(routes);
      clusters = List.copyOf(clusters);
      refProblems = List.copyOf(refProblems);
    }
  }

  /** A rule that is not served because of {@code problem}. */
  record Dropped(int index, Problem problem) implements TranslatedRule {
    public Dropped {
      requireNonNull(problem, "problem");
    }
  }
}
