package io.gatehouse.translator.route;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * One TCPRoute or TLSRoute after translation.
 *
 * @param route its attachments (for the listeners' route counts), clusters and status
 * @param listeners where its connections go, per attached listener
 */
public record TranslatedL4Route(TranslatedRoute route, List<L4Attachment> listeners) {
  public TranslatedL4Route {
    requireNonNull(route, "route");
    listeners = List.copyOf(listeners);
  }
}
