package io.gatehouse.proxy.l4;

import io.gatehouse.proxy.upstream.UpstreamCluster;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One route of an L4 listener, ready for the data path: its clusters and the share of connections
 * that is refused (backendRefs that could not be resolved), chosen per connection by a
 * {@link WeightedPicker}. Immutable and thread-safe.
 */
final class L4Target {
  private final String name;
  /** One entry per weighted choice; null stands for "refuse the connection". */
  private final @Nullable UpstreamCluster[] choices;
  private final WeightedPicker picker;
  private final boolean terminate;

  /**
   * @param clusters the route's clusters, in its order
   * @param weights their weights
   * @param rejectedWeight the weight of the connections to refuse
   */
  L4Target(String name, List<UpstreamCluster> clusters, int[] weights, int rejectedWeight) {
    this(name, clusters, weights, rejectedWeight, false);
  }

  /**
   * @param terminate on a mixed TLS port: the route's connections are terminated (its listener is
   * in mode Terminate) rather than passed through
   */
  L4Target(String name, List<UpstreamCluster> clusters, int[] weights, int rejectedWeight,
      boolean terminate) {
    this.name = name;
    this.terminate = terminate;
    this.choices = new UpstreamCluster[clusters.size() + 1];
    int[] all = new int[clusters.size() + 1];
    for (int i = 0; i < clusters.size(); i++) {
      choices[i] = clusters.get(i);
      all[i] = weights[i];
    }
    all[clusters.size()] = rejectedWeight;
    this.picker = new WeightedPicker(all);
  }

  /** The cluster for a new connection, or null when it must be refused. */
  @Nullable
  UpstreamCluster pick() {
    int i = picker.pick();
    return i < 0 ? null : choices[i];
  }

  /** Whether TLS is terminated for this route (a Terminate listener's route on a mixed port). */
  boolean terminate() {
    return terminate;
  }

  String name() {
    return name;
  }

  @Override
  public String toString() {
    return name;
  }
}
