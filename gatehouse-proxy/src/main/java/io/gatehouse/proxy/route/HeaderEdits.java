package io.gatehouse.proxy.route;

import io.gatehouse.model.Filter;
import io.gatehouse.model.Header;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.ArrayList;
import java.util.List;

/**
 * The combined effect of a route's header modifier filters on one direction (request or response):
 * set (replace), add (append), then remove, filter by filter in order.
 */
public final class HeaderEdits {
  /** Edits that change nothing. */
  public static final HeaderEdits NONE = new HeaderEdits(List.of());

  private final List<Step> steps;

  private HeaderEdits(List<Step> steps) {
    this.steps = List.copyOf(steps);
  }

  static HeaderEdits requestOf(List<Filter> filters) {
    List<Step> steps = new ArrayList<>();
    for (Filter f : filters) {
      if (f instanceof Filter.RequestHeaderModifier m) {
        steps.add(new Step(m.set(), m.add(), m.remove()));
      }
    }
    return steps.isEmpty() ? NONE : new HeaderEdits(steps);
  }

  static HeaderEdits responseOf(List<Filter> filters) {
    List<Step> steps = new ArrayList<>();
    for (Filter f : filters) {
      if (f instanceof Filter.ResponseHeaderModifier m) {
        steps.add(new Step(m.set(), m.add(), m.remove()));
      }
    }
    return steps.isEmpty() ? NONE : new HeaderEdits(steps);
  }

  /** An edit that adds one header value. */
  public static HeaderEdits adding(String name, String value) {
    return new HeaderEdits(List.of(new Step(List.of(), List.of(new Header(name, value)),
        List.of())));
  }

  /** The edits of {@code first}, then those of {@code then}. */
  public static HeaderEdits concat(HeaderEdits first, HeaderEdits then) {
    if (then.steps.isEmpty()) {
      return first;
    }
    if (first.steps.isEmpty()) {
      return then;
    }
    List<Step> steps = new ArrayList<>(first.steps);
    steps.addAll(then.steps);
    return new HeaderEdits(steps);
  }

  /** Applies the edits in place. */
  public void applyTo(HttpHeaders headers) {
    for (Step s : steps) {
      for (Header h : s.set) {
        headers.set(h.name(), h.value());
      }
      for (Header h : s.add) {
        headers.add(h.name(), h.value());
      }
      for (String name : s.remove) {
        headers.remove(name);
      }
    }
  }

  private record Step(List<Header> set, List<Header> add, List<String> remove) {
  }
}
