package io.gatehouse.proxy.route;

import io.gatehouse.model.Action;
import io.gatehouse.model.Cluster;
import io.gatehouse.model.WeightedCluster;
import io.gatehouse.proxy.upstream.UpstreamCluster;
import java.util.ArrayList;
import java.util.Arrays;
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
   * {@code weights[i] / total} and is the backend {@code backends[i]}; the remaining
   * {@code invalidWeight} (including clusters the configuration names but does not define) is
   * answered with 500. With a {@code session} policy, a request carrying a valid session token goes
   * to its session's backend instead (see {@link SessionPolicy}).
   */
  record Forward(List<UpstreamCluster> clusters, long[] cumulative, long total,
      List<Backend> backends, @Nullable SessionPolicy session)
      implements
        RouteAction {

    /** A forward whose backends have no filters of their own and no session persistence. */
    public Forward(List<UpstreamCluster> clusters, long[] cumulative, long total) {
      this(clusters, cumulative, total, backendsOf(clusters), null);
    }

    /**
     * The backend for a uniformly random {@code draw} in {@code [0, total)}, or null when the draw
     * falls in the invalid share.
     */
    public @Nullable Backend pickBackend(long draw) {
      for (int i = 0; i < cumulative.length; i++) {
        if (draw < cumulative[i]) {
          return backends.get(i);
        }
      }
      return null;
    }

    /**
     * The cluster for a uniformly random {@code draw} in {@code [0, total)}, or null when the draw
     * falls in the invalid share.
     */
    public @Nullable UpstreamCluster pick(long draw) {
      Backend b = pickBackend(draw);
      return b == null ? null : b.cluster();
    }

    private static List<Backend> backendsOf(List<UpstreamCluster> clusters) {
      List<Backend> out = new ArrayList<>();
      for (int i = 0; i < clusters.size(); i++) {
        out.add(new Backend(i, clusters.get(i), BackendFilters.NONE));
      }
      return List.copyOf(out);
    }
  }

  /**
   * One backend of a {@link Forward}: its position among the action's clusters (as configured,
   * weight 0 included), its cluster and its own filters.
   */
  record Backend(int index, UpstreamCluster cluster, BackendFilters filters) {
  }

  static RouteAction of(Action action, Map<String, Cluster> defined,
      Function<Cluster, UpstreamCluster> compiled) {
    return of(action, defined, compiled, "/");
  }

  /**
   * @param cookiePath the {@code Path} of session cookies: the path the route matches
   */
  static RouteAction of(Action action, Map<String, Cluster> defined,
      Function<Cluster, UpstreamCluster> compiled, String cookiePath) {
    return switch (action) {
      case Action.DirectResponse d -> new Direct(d.status(), d.body());
      case Action.Forward f -> forward(f, defined, compiled, cookiePath);
      case Action.Redirect r -> new Redirect(r.statusCode(), new RedirectLocation(r));
    };
  }

  private static Forward forward(Action.Forward f, Map<String, Cluster> defined,
      Function<Cluster, UpstreamCluster> compiled, String cookiePath) {
    List<UpstreamCluster> clusters = new ArrayList<>();
    List<Long> cumulative = new ArrayList<>();
    List<Backend> weighted = new ArrayList<>();
    // Every defined backend, weight 0 included: a session outlives a weight change.
    Backend[] all = new Backend[f.clusters().size()];
    long total = 0;
    long invalid = f.invalidWeight();
    for (int i = 0; i < f.clusters().size(); i++) {
      WeightedCluster wc = f.clusters().get(i);
      Cluster c = defined.get(wc.cluster());
      if (c == null) {
        invalid += wc.weight();
        continue;
      }
      all[i] = new Backend(i, compiled.apply(c), BackendFilters.of(wc));
      if (wc.weight() > 0) {
        total += wc.weight();
        clusters.add(all[i].cluster());
        cumulative.add(total);
        weighted.add(all[i]);
      }
    }
    SessionPolicy session = f.sessionPersistence() == null
        ? null
        : new SessionPolicy(f.sessionPersistence(), Arrays.asList(all), cookiePath);
    return new Forward(List.copyOf(clusters),
        cumulative.stream().mapToLong(Long::longValue).toArray(), total + invalid,
        List.copyOf(weighted), session);
  }
}
