package io.gatehouse.proxy.tls;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Which certificate (an {@code SslContext} in production) a ClientHello's SNI selects: an exact
 * name first, then the longest matching {@code *.} wildcard (one or more labels in front of its
 * suffix, as Gateway API listener hostnames), then the {@code *} default. A client without SNI gets
 * the default. No match and no default: null, and the handshake fails.
 *
 * <p>
 * Immutable and thread-safe; a new mapping is built for every {@code apply} and swapped in whole.
 *
 * @param <T> what a name maps to
 */
public final class SniMapping<T> {
  private final Map<String, T> exact;
  /** Suffixes with their leading dot ({@code .example.com}), longest first. */
  private final List<Map.Entry<String, T>> wildcards;
  private final @Nullable T fallback;
  /** Whether {@code *} was added (the fallback's name). */
  private final boolean hasFallback;

  private SniMapping(Map<String, T> exact, List<Map.Entry<String, T>> wildcards,
      @Nullable T fallback) {
    this.exact = Map.copyOf(exact);
    this.wildcards = List.copyOf(wildcards);
    this.fallback = fallback;
    this.hasFallback = fallback != null;
  }

  /** A mapping that refuses every handshake. */
  public static <T> SniMapping<T> empty() {
    return new Builder<T>().build();
  }

  /** The value for a client's SNI (null when it sent none), or null to refuse the handshake. */
  public @Nullable T select(@Nullable String serverName) {
    if (serverName == null || serverName.isEmpty()) {
      return fallback;
    }
    String name = normalise(serverName);
    T found = exact.get(name);
    if (found != null) {
      return found;
    }
    for (Map.Entry<String, T> w : wildcards) {
      if (name.endsWith(w.getKey()) && name.length() > w.getKey().length()) {
        return w.getValue();
      }
    }
    return fallback;
  }

  /**
   * The name {@link #select} matches {@code serverName} with, as it was added (normalised): the
   * exact name, the {@code *.suffix} wildcard or {@code *}; null when none matches. For an HTTPS
   * port these are the hostnames of its listeners, so this tells which listener a name belongs to.
   */
  public @Nullable String selectedName(@Nullable String serverName) {
    if (serverName == null || serverName.isEmpty()) {
      return hasFallback ? "*" : null;
    }
    String name = normalise(serverName);
    if (exact.containsKey(name)) {
      return name;
    }
    for (Map.Entry<String, T> w : wildcards) {
      if (name.endsWith(w.getKey()) && name.length() > w.getKey().length()) {
        return "*" + w.getKey();
      }
    }
    return hasFallback ? "*" : null;
  }

  private static String normalise(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
  }

  /** Collects names; the first value added for a name wins (the model keeps names unique). */
  public static final class Builder<T> {
    private final Map<String, T> exact = new HashMap<>();
    private final Map<String, T> wildcards = new HashMap<>();
    private @Nullable T fallback;

    /**
     * @param name an exact name, a {@code *.suffix} wildcard or {@code *} (the default)
     */
    public Builder<T> add(String name, T value) {
      requireNonNull(value, "value");
      String n = normalise(requireNonNull(name, "name"));
      if (n.equals("*")) {
        fallback = fallback == null ? value : fallback;
      } else if (n.startsWith("*.")) {
        wildcards.putIfAbsent(n.substring(1), value);
      } else {
        exact.putIfAbsent(n, value);
      }
      return this;
    }

    public SniMapping<T> build() {
      List<Map.Entry<String, T>> sorted = new ArrayList<>(wildcards.entrySet());
      sorted.sort(Comparator.comparing((Map.Entry<String, T> e) -> -e.getKey().length())
          .thenComparing(Map.Entry::getKey));
      return new SniMapping<>(exact, sorted.stream().map(e -> Map.entry(e.getKey(), e.getValue()))
          .toList(), fallback);
    }
  }
}
