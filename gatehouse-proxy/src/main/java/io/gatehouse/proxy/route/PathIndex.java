package io.gatehouse.proxy.route;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The routes of one virtual host, indexed by path so that a lookup checks only the routes whose
 * path could match: exact paths and path prefixes by hash, regexes always. The candidates are then
 * tried in precedence order with the full match (path, method, headers, query), so the result is
 * exactly that of a linear first-match scan. Immutable.
 *
 * <p>
 * A prefix {@code /a/b} (stored without trailing slash, {@code ""} for {@code /}) can match only a
 * path whose first characters up to a {@code /} or the end are exactly {@code /a/b}; so a lookup
 * tries the path's leading parts that end before each {@code /} and the whole path, each once. The
 * table is flat and open-addressed (hashes, keys and route lists in parallel arrays), and the
 * hashes of those leading parts are computed in one pass over the path without making substrings: a
 * lookup allocates nothing but its candidate buffer and touches few cache lines, so it costs about
 * the same with ten routes or ten thousand.
 */
final class PathIndex {
  private static final int[] NONE = new int[0];

  private final RouteEntry[] routes;
  private final int mask;
  /** {@link String#hashCode} of each key; a slot is empty when its key is null. */
  private final int[] hashes;
  private final @Nullable String[] keys;
  /** Routes with an exact path equal to the key. */
  private final int[][] exact;
  /** Routes with a path prefix equal to the key (without trailing slash). */
  private final int[][] prefix;
  /** Routes with a regex path: always candidates. */
  private final int[] always;

  PathIndex(List<RouteEntry> routes) {
    this.routes = routes.toArray(new RouteEntry[0]);
    Map<String, List<Integer>> exactLists = new LinkedHashMap<>();
    Map<String, List<Integer>> prefixLists = new LinkedHashMap<>();
    List<Integer> alwaysList = new ArrayList<>();
    for (int i = 0; i < this.routes.length; i++) {
      switch (this.routes[i].path()) {
        case PathMatcher.Exact e -> exactLists.computeIfAbsent(e.value(), k -> new ArrayList<>())
            .add(i);
        case PathMatcher.Prefix p -> prefixLists.computeIfAbsent(p.prefix(),
            k -> new ArrayList<>()).add(i);
        case PathMatcher.Regex r -> alwaysList.add(i);
      }
    }
    int keyCount = exactLists.size() + prefixLists.size();
    int capacity = Integer.highestOneBit(Math.max(4, keyCount * 2) - 1) << 1;
    this.mask = capacity - 1;
    this.hashes = new int[capacity];
    this.keys = new String[capacity];
    this.exact = new int[capacity][];
    this.prefix = new int[capacity][];
    Arrays.fill(exact, NONE);
    Arrays.fill(prefix, NONE);
    exactLists.forEach((k, v) -> exact[slotFor(k)] = toArray(v));
    prefixLists.forEach((k, v) -> prefix[slotFor(k)] = toArray(v));
    this.always = toArray(alwaysList);
  }

  /** The slot of {@code key}, claimed if it was empty (construction only). */
  private int slotFor(String key) {
    int h = key.hashCode();
    int i = spread(h) & mask;
    while (keys[i] != null && !keys[i].equals(key)) {
      i = (i + 1) & mask;
    }
    keys[i] = key;
    hashes[i] = h;
    return i;
  }

  /** The slot whose key is {@code path}'s first {@code length} characters, or -1. */
  private int find(String path, int length, int hash) {
    for (int i = spread(hash) & mask;; i = (i + 1) & mask) {
      String key = keys[i];
      if (key == null) {
        return -1;
      }
      if (hashes[i] == hash && key.length() == length && path.startsWith(key)) {
        return i;
      }
    }
  }

  private static int spread(int h) {
    return h ^ (h >>> 16);
  }

  /** The first route, in precedence order, that accepts the request; null if none. */
  @Nullable
  RouteEntry first(RouteRequest request) {
    String path = request.path();
    int[] buf = new int[8];
    int n = 0;
    buf = fit(buf, n, always);
    n = add(buf, n, always);
    int slot;
    if (path.startsWith("/")) {
      // The root prefix "" (from "/"), then the part before each later '/', then the whole path;
      // h is the String hash of path[0, i).
      int h = 0;
      for (int i = 0; i < path.length(); i++) {
        char c = path.charAt(i);
        if (c == '/' && (slot = find(path, i, h)) >= 0) {
          buf = fit(buf, n, prefix[slot]);
          n = add(buf, n, prefix[slot]);
        }
        h = 31 * h + c;
      }
      slot = find(path, path.length(), h);
      if (slot >= 0) {
        buf = fit(buf, n, prefix[slot]);
        n = add(buf, n, prefix[slot]);
      }
    } else {
      slot = find(path, path.length(), path.hashCode());
    }
    if (slot >= 0) {
      buf = fit(buf, n, exact[slot]);
      n = add(buf, n, exact[slot]);
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
