package io.gatehouse.model;

import java.util.List;

/** A transformation applied to a matched request or its response. */
public sealed interface Filter {
  /** Edits request headers before forwarding: set (replace), add (append), then remove. */
  record RequestHeaderModifier(List<Header> set, List<Header> add, List<String> remove)
      implements
        Filter {
    public RequestHeaderModifier {
      set = List.copyOf(set);
      add = List.copyOf(add);
      remove = List.copyOf(remove);
    }
  }

  /** Edits response headers before they go to the client: set, add, then remove. */
  record ResponseHeaderModifier(List<Header> set, List<Header> add, List<String> remove)
      implements
        Filter {
    public ResponseHeaderModifier {
      set = List.copyOf(set);
      add = List.copyOf(add);
      remove = List.copyOf(remove);
    }
  }
}
