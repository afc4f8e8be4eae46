package io.gatehouse.proxy.route;

import static java.util.Objects.requireNonNull;

import io.gatehouse.model.Cluster;
import io.gatehouse.model.Filter;
import io.gatehouse.proxy.upstream.UpstreamCluster;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One compiled {@link Filter.RequestMirror}: the cluster that receives copies and the share of
 * requests copied. Immutable.
 *
 * @param numerator 0 to {@code denominator}
 * @param denominator at least 1
 */
public record MirrorTarget(UpstreamCluster cluster, int numerator, int denominator) {
  public MirrorTarget {
    requireNonNull(cluster, "cluster");
  }

  /**
   * Whether a request whose random draw is {@code draw}, in {@code [0, denominator)}, is copied.
   */
  public boolean selects(int draw) {
    return draw < numerator;
  }

  /**
   * The mirrors of a route's filters, in order; one whose cluster is not defined is left out (the
   * translator only names defined clusters).
   */
  static List<MirrorTarget> of(List<Filter> filters, Map<String, Cluster> defined,
      Function<Cluster, UpstreamCluster> compiled) {
    List<MirrorTarget> out = new ArrayList<>();
    for (Filter f : filters) {
      if (f instanceof Filter.RequestMirror m && m.numerator() > 0) {
        Cluster c = defined.get(m.cluster());
        if (c != null) {
          out.add(new MirrorTarget(compiled.apply(c), m.numerator(), m.denominator()));
        }
      }
    }
    return List.copyOf(out);
  }
}
