package io.gatehouse.proxy.route;

import io.gatehouse.model.Action;
import io.gatehouse.model.Cluster;
import io.gatehouse.model.WeightedCluster;
import io.gatehouse.proxy.upstream.UpstreamCluster;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/** What answers a matched request, compiled from {@link Action}. */
public sealed interface RouteAction {

  /** Answer locally with a status and a text/plain body. */
  record Direct(int status, String body) implements RouteAction {
  }

  /** Answer locally with a redirect: {@code status} and a {@code Location} built per request. */
  record Redirect(int status, RedirectLocation location) implements RouteAction {
  }

  /**
   * Forward to a cluster picked at random by weight. {@code clusters[i]} takes the share
   * {@code weights[i] / total} and has the backend filters {@code filters[i]}; the remaining
   * {@code invalidWeight} (including clusters the configuration names but does not define) is
   * answered with 500.
   */
  record Forward(List<UpstreamCluster> clusters, long[] cumulative, long total,
      List<BackendFilters> filters)
      implements
        RouteAction {

    /** A forward whose backends have no filters of their own. */
    public Forward(List<UpstreamCluster> clusters, long[] cumulative, long total) {
      this(clusters, cumulative, total,
          java.util.Collections.nCopies(clusters.size(), BackendFilters.NONE));
    }

    /**
     * The backend for a uniformly random {@code draw} in {@code [0, total)}, or null when the draw
     * falls in the invalid share.
     */
    public @Nullable Backend pickBackend(long draw) {
      for (int i = 0; i < cumulative.length; i++) {
        if (draw < cumulative[i]) {
          return new Backend(clusters.get(i), filters.get(i));
        }
      }
      return null;
    }

    /**
     * The cluster for a uniformly random {@code draw} in {@code [0, total)}, or null when the draw
     * falls in the invalid share.
     */
    public @Nullable UpstreamCluster pick(long draw) {
      for (int i = 0; i < cumulative.length; i++) {
        if (draw < cumulative[i]) {
          return clusters.get(i);
        }
      }
      return null;
    }
  }

  /** One backend of a {@link Forward}: its cluster and its own filters. */
  record Backend(UpstreamCluster cluster, BackendFilters filters) {
  }

  static RouteAction of(Action action, Map<String, Cluster> defined,
      Function<Cluster, UpstreamCluster> compiled) {
    return switch (action) {
      case Action.DirectResponse d -> new Direct(d.status(), d.body());
      case Action.Forward f -> forward(f, defined, compiled);
      case Action.Redirect r -> new Redirect(r.statusCode(), new RedirectLocation(r));
    };
  }

  private static Forward forward(Action.Forward f, Map<String, Cluster> defined,
      Function<Cluster, UpstreamCluster> compiled) {
    List<UpstreamCluster> clusters = new ArrayList<>();
    List<Long> cumulative = new ArrayList<>();
    List<BackendFilters> filters = new ArrayList<>();
    long total = 0;
    long invalid = f.invalidWeight();
    for (WeightedCluster wc : f.clusters()) {
      Cluster c = defined.get(wc.cluster());
      if (c == null) {
        invalid += wc.weight();
      } else if (wc.weight() > 0) {
        total += wc.weight();
        clusters.add(compiled.apply(c));
        cumulative.add(total);
        filters.add(BackendFilters.of(wc));
      }
    }
    return new Forward(List.copyOf(clusters),
        cumulative.stream().mapToLong(Long::longValue).toArray(), total + invalid,
        List.copyOf(filters));
  }
}
