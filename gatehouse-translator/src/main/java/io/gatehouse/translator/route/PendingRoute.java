package io.gatehouse.translator.route;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReference;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteParentStatus;
import io.gatehouse.model.Cluster;
import io.gatehouse.translator.ObjectRef;
import io.gatehouse.translator.StatusUpdate;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * An HTTPRoute or GRPCRoute translated up to its status: its rules, and per parentRef the listeners
 * it attaches to or why it attaches to none. {@link KindConflicts} may still take listeners away
 * from it; {@link #finish()} then writes its status.
 */
public final class PendingRoute {
  /**
   * The outcome of one parentRef that gets status from us.
   *
   * @param index the parentRef's index in {@code spec.parentRefs}
   */
  record Parent(int index, ParentReference ref, ParentResult result) {
    Parent {
      requireNonNull(ref, "ref");
      requireNonNull(result, "result");
    }
  }

  private final ObjectRef object;
  private final @Nullable String creationTimestamp;
  private final @Nullable Long generation;
  private final List<Parent> parents;
  private final List<TranslatedRule> rules;
  private final boolean served;
  private final List<Cluster> clusters;
  private final RouteStatusWriter statusWriter;
  private final Function<List<RouteParentStatus>, Object> status;

  /**
   * @param served whether any rule is kept (a route without one is not accepted by any parent)
   * @param status builds the kind's status object from its parent entries
   */
  PendingRoute(ObjectRef object, @Nullable String creationTimestamp, @Nullable Long generation,
      List<Parent> parents, List<TranslatedRule> rules, boolean served, List<Cluster> clusters,
      RouteStatusWriter statusWriter, Function<List<RouteParentStatus>, Object> status) {
    this.object = requireNonNull(object, "object");
    this.creationTimestamp = creationTimestamp;
    this.generation = generation;
    this.parents = List.copyOf(parents);
    this.rules = List.copyOf(rules);
    this.served = served;
    this.clusters = List.copyOf(clusters);
    this.statusWriter = statusWriter;
    this.status = status;
  }

  /** The route's kind, namespace and name. */
  public ObjectRef object() {
    return object;
  }

  @Nullable
  String creationTimestamp() {
    return creationTimestamp;
  }

  List<Parent> parents() {
    return parents;
  }

  /** The listeners the route is accepted on, through any parentRef. */
  List<Attachment> accepted() {
    List<Attachment> out = new ArrayList<>();
    for (Parent p : parents) {
      if (p.result().rejection() == null && served) {
        out.addAll(p.result().listeners());
      }
    }
    return out;
  }

  /** This route with each parentRef's outcome replaced by {@code change}. */
  PendingRoute withParents(UnaryOperator<Parent> change) {
    return new PendingRoute(object, creationTimestamp, generation,
        parents.stream().map(change).toList(), rules, served, clusters, statusWriter, status);
  }

  /** The route's attachments, clusters and status (null when no parentRef is ours). */
  public TranslatedRoute finish() {
    List<RouteParentStatus> entries = new ArrayList<>();
    for (Parent p : parents) {
      entries.add(statusWriter.parentStatus(p.ref(), p.result(), rules, generation));
    }
    StatusUpdate update = entries.isEmpty()
        ? null
        : new StatusUpdate(object, status.apply(entries));
    return new TranslatedRoute(accepted(), clusters, update);
  }
}
