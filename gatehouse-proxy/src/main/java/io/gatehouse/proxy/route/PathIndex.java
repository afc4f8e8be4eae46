package io.gatehouse.proxy.route;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The routes of one virtual host, indexed by path so that a lookup checks only the routes whose
 * path could match: exact paths by hash, prefixes through a trie of path segments, regexes always.
 * The candidates are then tried in precedence order with the full match (path, method, headers,
 * query), so the result is exactly that of a linear first-match scan. Immutable.
 */
final class PathIndex {
  private static final int[] NONE = new int[0];

  private final RouteEntry[] routes;
  private final Map<String, int[]> exact;
  private final Node root;
  private final int[] always;

  private static final class Node {
    final Map<String, Node> children = new HashMap<>();
    int[] here = NONE;
  }

  PathIndex(List<RouteEntry> routes) {
    this.routes = routes.toArray(new RouteEntry[0]);
    Map<String, List<Integer>> exactLists = new HashMap<>();
    List<Integer> alwaysList = new ArrayList<>();
    Map<Node, List<Integer>> nodeLists = new HashMap<>();
    this.root = new Node();
    for (int i = 0; i < this.routes.length; i++) {
      switch (this.routes[i].path()) {
        case PathMatcher.Exact e -> exactLists.computeIfAbsent(e.value(), k -> new ArrayList<>())
            .add(i);
        case PathMatcher.Prefix p -> nodeLists
            .computeIfAbsent(nodeFor(p.prefix()), k -> new ArrayList<>()).add(i);
        case PathMatcher.Regex r -> alwaysList.add(i);
      }
    }
    this.exact = new HashMap<>();
    exactLists.forEach((k, v) -> exact.put(k, toArray(v)));
    nodeLists.forEach((n, v) -> n.here = toArray(v));
    this.always = toArray(alwaysList);
  }

  /** {@code prefix} has no trailing slash: "" is the root, "/a/b" is root → a → b. */
  private Node nodeFor(String prefix) {
    Node n = root;
    if (!prefix.isEmpty()) {
      for (String segment : prefix.substring(1).split("/", -1)) {
        n = n.children.computeIfAbsent(segment, s -> new Node());
      }
    }
    return n;
  }

  /** The first route, in precedence order, that accepts the request; null if none. */
  @Nullable
  RouteEntry first(RouteRequest request) {
    String path = request.path();
    int[] buf = new int[8];
    int n = 0;
    for (int[] more : new int[][]{exact.getOrDefault(path, NONE), always}) {
      buf = fit(buf, n, more);
      n = add(buf, n, more);
    }
    if (path.startsWith("/")) {
      Node node = root;
      int from = 1;
      while (node != null) {
        buf = fit(buf, n, node.here);
        n = add(buf, n, node.here);
        if (from > path.length()) {
          break;
        }
        int slash = path.indexOf('/', from);
        int end = slash < 0 ? path.length() : slash;
        node = node.children.isEmpty() ? null : node.children.get(path.substring(from, end));
        from = end + 1;
      }
    }
    Arrays.sort(buf, 0, n);
    for (int i = 0; i < n; i++) {
      RouteEntry r = routes[buf[i]];
      if (r.matches(request)) {
        return r;
      }
    }
    return null;
  }

  private static int[] fit(int[] buf, int n, int[] more) {
    return n + more.length <= buf.length ? buf : Arrays.copyOf(buf, 2 * (n + more.length));
  }

  private static int add(int[] buf, int n, int[] more) {
    System.arraycopy(more, 0, buf, n, more.length);
    return n + more.length;
  }

  private static int[] toArray(List<Integer> list) {
    return list.stream().mapToInt(Integer::intValue).toArray();
  }
}
