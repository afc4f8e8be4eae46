package io.gatehouse.translator.route;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Hostname rules of the Gateway API: exact names, wildcards ({@code *.example.com}, one or more
 * labels in front of the suffix, never the bare suffix) and the catch-all {@code *}.
 */
public final class Hostnames {
  /** The catch-all hostname. */
  public static final String ANY = "*";

  /** Most specific first: exact names, then wildcards by longer suffix, then {@code *}. */
  public static final Comparator<String> MOST_SPECIFIC_FIRST = Comparator
      .comparingInt(Hostnames::specificity)
      .reversed()
      .thenComparing(Comparator.naturalOrder());

  private Hostnames() {
  }

  /** A listener hostname as used for matching: lower case, {@code *} when absent. */
  public static String normalize(@Nullable String hostname) {
    return hostname == null || hostname.isEmpty() ? ANY : hostname.toLowerCase(Locale.ROOT);
  }

  /** Whether every host that {@code narrow} accepts is also accepted by {@code pattern}. */
  public static boolean covers(String pattern, String narrow) {
    if (pattern.equals(ANY) || pattern.equals(narrow)) {
      return true;
    }
    if (!pattern.startsWith("*.")) {
      return false;
    }
    String suffix = pattern.substring(1); // ".example.com"
    return !narrow.equals(ANY) && narrow.endsWith(suffix) && narrow.length() > suffix.length();
  }

  /** The hostnames both accept, as one name, if they overlap at all. */
  public static Optional<String> intersect(String a, String b) {
    if (covers(a, b)) {
      return Optional.of(b);
    }
    return covers(b, a) ? Optional.of(a) : Optional.empty();
  }

  /**
   * The hostnames a route serves on a listener: the listener hostname when the route has none, else
   * each route hostname intersected with it; sorted, without duplicates, possibly empty.
   */
  public static List<String> intersect(@Nullable String listenerHostname,
      @Nullable List<String> routeHostnames) {
    String listener = normalize(listenerHostname);
    if (routeHostnames == null || routeHostnames.isEmpty()) {
      return List.of(listener);
    }
    TreeSet<String> out = new TreeSet<>();
    for (String h : routeHostnames) {
      if (h != null && !h.isEmpty()) {
        intersect(listener, normalize(h)).ifPresent(out::add);
      }
    }
    return new ArrayList<>(out);
  }

  private static int specificity(String hostname) {
    if (hostname.equals(ANY)) {
      return 0;
    }
    return hostname.startsWith("*.") ? hostname.length() : Integer.MAX_VALUE;
  }
}
