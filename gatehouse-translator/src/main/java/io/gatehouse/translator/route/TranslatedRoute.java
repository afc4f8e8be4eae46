package io.gatehouse.translator.route;

import io.gatehouse.model.Cluster;
import io.gatehouse.translator.StatusUpdate;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One HTTPRoute after translation.
 *
 * @param attachments the listeners it serves on
 * @param clusters the clusters its rules forward to
 * @param status its status, or null when none of its parents is ours
 */
public record TranslatedRoute(List<Attachment> attachments, List<Cluster> clusters,
    @Nullable StatusUpdate status) {
  public TranslatedRoute {
    attachments = List.copyOf(attachments);
    clusters = List.copyOf(clusters);
  }
}
