package io.gatehouse.bench;

import io.gatehouse.proxy.edge.PathCanonicalizer.Canonical;
import io.gatehouse.proxy.edge.PathCanonicalizer.Rejected;
import io.gatehouse.proxy.edge.PathCanonicalizer.Result;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Request paths as a public gateway receives them, each with the result the default path policy
 * must give: mostly clean API and asset paths, then percent-encoded unreserved characters and other
 * escapes, dot segments and repeated slashes, long paths, and a few that are refused.
 *
 * <p>
 * {@link #mix} repeats them by weight (clean 60 %, escapes 15 %, dot segments and slashes 10 %,
 * long 10 %, refused 5 %) and shuffles with a fixed seed.
 */
public final class PathMix {
  /** One path and what canonicalising it must give. */
  public record Sample(String path, Result expected) {
  }

  private static final String LONG_TAIL = "/segment-with-a-longish-name".repeat(6);

  private PathMix() {
  }

  /** The clean paths: nothing to change. */
  public static List<Sample> clean() {
    return List.of(
        same("/"),
        same("/api/v1/users/12345"),
        same("/api/v2/orders/9f8e7d6c-5b4a-3210-fedc-ba9876543210/items"),
        same("/static/js/app.3f9c2a1b.min.js"),
        same("/images/products/large/sku-000123.webp"),
        same("/healthz"));
  }

  /** Escapes: unreserved ones decoded, others kept as received. */
  public static List<Sample> escapes() {
    return List.of(
        canonical("/docs/%7Euser/read%2Dme", "/docs/~user/read-me"),
        same("/search/caf%C3%A9/r%C3%A9sum%C3%A9"),
        same("/files/report%20final%202024.pdf"),
        canonical("/a%2Eb/%41%42%43", "/a.b/ABC"));
  }

  /** Dot segments and repeated slashes. */
  public static List<Sample> dots() {
    return List.of(
        canonical("/api/v1/../v2/users", "/api/v2/users"),
        canonical("/static/./css//site.css", "/static/css/site.css"),
        canonical("//api///v1/items/", "/api/v1/items/"),
        canonical("/a/b/c/%2e%2e/d", "/a/b/d"));
  }

  /** Long paths (about 200 characters). */
  public static List<Sample> longPaths() {
    return List.of(
        same("/api/v1/tenants/acme/projects/alpha" + LONG_TAIL),
        canonical("/api/v1/./tenants//acme/x/../projects" + LONG_TAIL,
            "/api/v1/tenants/acme/projects" + LONG_TAIL));
  }

  /** Paths the default policy refuses. */
  public static List<Sample> refused() {
    return List.of(
        new Sample("/a%2Fb", new Rejected("escaped slash in path")),
        new Sample("/login;jsessionid=1", new Rejected("';' in path")),
        new Sample("/bad%zz", new Rejected("invalid percent-encoding in path")));
  }

  /** {@code count} samples drawn by weight with a fixed seed. */
  public static Sample[] mix(int count, long seed) {
    List<Sample> weighted = new ArrayList<>();
    addTimes(weighted, clean(), 60);
    addTimes(weighted, escapes(), 15);
    addTimes(weighted, dots(), 10);
    addTimes(weighted, longPaths(), 10);
    addTimes(weighted, refused(), 5);
    Collections.shuffle(weighted, new Random(seed));
    Sample[] out = new Sample[count];
    for (int i = 0; i < count; i++) {
      out[i] = weighted.get(i % weighted.size());
    }
    return out;
  }

  /** Adds samples of {@code group} round-robin until {@code times} have been added. */
  private static void addTimes(List<Sample> out, List<Sample> group, int times) {
    for (int i = 0; i < times; i++) {
      out.add(group.get(i % group.size()));
    }
  }

  private static Sample same(String path) {
    return new Sample(path, new Canonical(path));
  }

  private static Sample canonical(String path, String expected) {
    return new Sample(path, new Canonical(expected));
  }
}
