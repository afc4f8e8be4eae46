package io.gatehouse.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.model.PathPolicy;
import io.gatehouse.model.PathPolicy.EscapedSlashes;
import io.gatehouse.proxy.edge.RecordingUpstream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SECURITY.md C1–C10, C7 (the 887-line traversal corpus) and B2 (the 17 CRLF payloads) over the
 * wire, against {@link EdgeProxy}: P serves {@code /public}, {@code /admin} is denied, Q serves the
 * rest. The pass criterion throughout: P never receives a path whose percent-decoded,
 * dot-segment-free form is outside {@code /public/}, and what an upstream receives is the path the
 * gateway matched (it re-canonicalises to itself and lies under the route's prefix).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PathCanonicalisationIT {
  private static final ProxyOptions BASE = new ProxyOptions(0, 1, java.time.Duration.ofSeconds(2),
      java.time.Duration.ofSeconds(5));

  private EdgeProxy edge;
  private EdgeProxy redirecting;
  private EdgeProxy semicolons;

  @BeforeAll
  void start() throws IOException {
    edge = new EdgeProxy(BASE);
    redirecting = new EdgeProxy(BASE.withPath(PathPolicy.DEFAULT
        .withEscapedSlashes(EscapedSlashes.UNESCAPE_AND_REDIRECT)));
    semicolons = new EdgeProxy(BASE.withPath(PathPolicy.DEFAULT.withAllowSemicolons(true)));
  }

  @AfterAll
  void stop() {
    edge.close();
    redirecting.close();
    semicolons.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"/public/../admin", "/public/%2e%2e/admin", "/public/%2E%2E/admin",
      "/public/.%2e/admin", "/public/./../admin", "//admin", "/public//..//admin"})
  void c1DotSegmentsAndSlashesNormaliseToTheDeniedPath(String target) throws IOException {
    EdgeProxy.Exchange e = edge.get(target);
    assertThat(e.status()).isEqualTo(403);
    assertThat(e.response().body()).isEqualTo("denied");
    assertThat(e.atP()).isEmpty();
    assertThat(e.atQ()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"/public%2F..%2Fadmin", "/public%2fsecret", "/public%5c..%5cadmin"})
  void c2EscapedSlashesAreRejectedByDefault(String target) throws IOException {
    EdgeProxy.Exchange e = edge.get(target);
    assertThat(e.status()).isEqualTo(400);
    assertThat(e.atP()).isEmpty();
    assertThat(e.atQ()).isEmpty();
  }

  @Test
  void c2UnescapeAndRedirectSendsTheNormalisedPath() throws IOException {
    assertRedirect("/public%2F..%2Fadmin", "/admin");
    assertRedirect("/public%2fsecret?a=%2f", "/public/secret?a=%2f");
    assertRedirect("/public%5c..%5cadmin", "/admin");
    assertRedirect("/public\\..\\admin", "/admin");
    // Following the redirect is an ordinary request: routed by its canonical path.
    assertThat(redirecting.get("/public/secret").forwarded()).startsWith(
        "GET /public/secret HTTP/1.1\r\n");
  }

  private void assertRedirect(String target, String location) throws IOException {
    EdgeProxy.Exchange e = redirecting.get(target);
    assertThat(e.status()).as(target).isEqualTo(307);
    assertThat(e.response().headers().get("location")).isEqualTo(location);
    assertThat(e.atP()).isEmpty();
    assertThat(e.atQ()).isEmpty();
  }

  @Test
  void c3DoubleEncodingIsDecodedOnceOnly() throws IOException {
    EdgeProxy.Exchange e = edge.get("/public/%252e%252e/admin");
    assertThat(e.status()).isEqualTo(200);
    assertThat(e.atP()).hasSize(1);
    assertThat(e.atP().get(0)).startsWith("GET /public/%252e%252e/admin HTTP/1.1\r\n");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/public\\..\\admin", "/public/..%c0%af/admin",
      "/public/%c0%ae%c0%ae/admin", "/public/%00"})
  void c4BackslashOverlongUtf8AndNulAreRejected(String target) throws IOException {
    EdgeProxy.Exchange e = edge.get(target);
    assertThat(e.status()).isEqualTo(400);
    assertThat(e.atP()).isEmpty();
    assertThat(e.atQ()).isEmpty();
  }

  @Test
  void c4FullwidthDotsAreNotDots() throws IOException {
    EdgeProxy.Exchange e = edge.get("/public/%ef%bc%8e%ef%bc%8e/admin");
    assertThat(e.atP()).hasSize(1);
    assertThat(e.atP().get(0)).startsWith("GET /public/%ef%bc%8e%ef%bc%8e/admin HTTP/1.1\r\n");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/public/..;/admin", "/admin;jsessionid=x", "/public;/../admin"})
  void c5SemicolonsAreRejectedByDefault(String target) throws IOException {
    EdgeProxy.Exchange e = edge.get(target);
    assertThat(e.status()).isEqualTo(400);
    assertThat(e.atP()).isEmpty();
    assertThat(e.atQ()).isEmpty();
  }

  @Test
  void c5SemicolonsOutsideDotSegmentsWhenAllowed() throws IOException {
    assertThat(semicolons.get("/public/x;v=1").atP().get(0))
        .startsWith("GET /public/x;v=1 HTTP/1.1\r\n");
    // A parameter is part of its segment: "public;v=1" is not the segment "public".
    assertThat(semicolons.get("/public;v=1/x").atQ().get(0))
        .startsWith("GET /public;v=1/x HTTP/1.1\r\n");
    assertThat(semicolons.get("/public/..;/admin").status()).isEqualTo(400);
    assertThat(semicolons.get("/public;/../admin").status()).isEqualTo(403);
  }

  @Test
  void c6FragmentIsRejectedAndEscapedHashIsLiteral() throws IOException {
    EdgeProxy.Exchange frag = edge.get("/public#frag");
    assertThat(frag.status()).isEqualTo(400);
    assertThat(frag.atP()).isEmpty();
    assertThat(edge.get("/public?a#b").status()).isEqualTo(400);
    assertThat(edge.get("/public/%23/x").atP().get(0))
        .startsWith("GET /public/%23/x HTTP/1.1\r\n");
  }

  @Test
  void c8PathsAreCaseSensitive() throws IOException {
    assertThat(edge.get("/ADMIN").atQ().get(0)).startsWith("GET /ADMIN HTTP/1.1\r\n");
    assertThat(edge.get("/Admin/x").atQ().get(0)).startsWith("GET /Admin/x HTTP/1.1\r\n");
  }

  @Test
  void c9PrefixesMatchWholeSegments() throws IOException {
    assertThat(edge.get("/publicity").atQ()).hasSize(1);
    for (String t : List.of("/public", "/public/", "/public/x")) {
      assertThat(edge.get(t).atP().get(0)).as(t).startsWith("GET " + t + " HTTP/1.1\r\n");
    }
  }

  @Test
  void c10QueryIsKeptAndEscapedQuestionMarkIsNoSeparator() throws IOException {
    assertThat(edge.get("/a/../b?x=/../c").forwarded()).startsWith("GET /b?x=/../c HTTP/1.1\r\n");
    assertThat(edge.get("/a%3Fb").forwarded()).startsWith("GET /a%3Fb HTTP/1.1\r\n");
    assertThat(edge.get("/public/./x/../y?q=%2F").atP().get(0))
        .startsWith("GET /public/y?q=%2F HTTP/1.1\r\n");
  }

  @Test
  void http2StreamsAreCanonicalisedTheSameWay() throws Exception {
    try (H2TestClient c = edge.h2()) {
      assertThat(c.get("edge.test", "/public/%2e%2e/admin").get(10, TimeUnit.SECONDS).status())
          .isEqualTo(403);
      assertThat(c.get("edge.test", "/public%2fx").get(10, TimeUnit.SECONDS).status())
          .isEqualTo(400);
      int before = edge.p.heads().size();
      H2TestClient.Response ok = c.get("edge.test", "/public/./a//b/../c?x=/../y",
          "x-gateway-authenticated-user", "admin").get(10, TimeUnit.SECONDS);
      assertThat(ok.status()).isEqualTo(200);
      String head = edge.p.heads().get(before);
      assertThat(head).startsWith("GET /public/a/c?x=/../y HTTP/1.1\r\n");
      assertThat(RecordingUpstream.names(head)).doesNotContain("x-gateway-authenticated-user");
    }
  }

  /** C7: every corpus line, with the pass criterion checked per case. */
  @Test
  void c7TraversalCorpus() throws IOException {
    List<String> lines = Files.readAllLines(corpus("traversals-8-deep-exotic-encoding.txt"));
    assertThat(lines).hasSize(887);
    TreeMap<String, Integer> outcomes = new TreeMap<>();
    List<String> failures = new ArrayList<>();
    for (String line : lines) {
      String target = "/public/" + line.replace("{FILE}", "admin/secret");
      EdgeProxy.Exchange e = edge.get(target);
      String outcome = switch (e.status()) {
        case 400 -> e.atP().isEmpty() && e.atQ().isEmpty() ? "rejected 400" : null;
        case 403 -> e.atP().isEmpty() && e.atQ().isEmpty() ? "denied 403" : null;
        case 200 -> checkForwarded(e);
        default -> null;
      };
      if (outcome == null) {
        failures.add(target + " -> " + e.status() + " P=" + e.atP() + " Q=" + e.atQ());
      } else {
        outcomes.merge(outcome, 1, Integer::sum);
      }
    }
    System.out.println("C7 traversal corpus outcomes: " + outcomes);
    assertThat(failures).isEmpty();
    assertThat(outcomes.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(887);
  }

  /** The outcome of a forwarded case, or null when it breaks the pass criterion. */
  private static String checkForwarded(EdgeProxy.Exchange e) {
    if (e.atP().size() + e.atQ().size() != 1) {
      return null;
    }
    boolean toP = e.atQ().isEmpty();
    String target = RecordingUpstream.target(e.forwarded());
    String path = target.contains("?") ? target.substring(0, target.indexOf('?')) : target;
    String resolved = normalise(decode(path));
    // What the gateway matched is what it forwarded: the prefix holds on the forwarded path...
    boolean underPublic = path.equals("/public") || path.startsWith("/public/");
    // ...and the forwarded path is already canonical (nothing left for a backend to resolve).
    boolean canonical = normalise(path).equals(path);
    boolean insidePublic = resolved.equals("/public") || resolved.startsWith("/public/");
    boolean insideAdmin = resolved.equals("/admin") || resolved.startsWith("/admin/");
    if (!canonical || (toP ? !(underPublic && insidePublic) : underPublic || insideAdmin)) {
      return null;
    }
    return toP ? "forwarded to P" : "forwarded to Q";
  }

  /** B2: the 17 CRLF payloads, forwarded and reflected by a redirect. */
  @Test
  void b2CrlfPayloadsNeverInjectHeaders() throws IOException {
    List<String> lines = Files.readAllLines(corpus("crlfinjection.txt"));
    assertThat(lines).hasSize(17);
    TreeMap<String, Integer> outcomes = new TreeMap<>();
    for (String payload : lines) {
      for (String host : List.of("edge.test", "redirect.test")) {
        EdgeProxy.Exchange e = edge.get(host, payload);
        assertThat(e.response().headers()).as(payload).doesNotContainKey("set-cookie");
        assertThat(e.status()).as(payload).isIn(200, 302, 400);
        for (String head : concat(e.atP(), e.atQ())) {
          String inside = head.substring(0, head.length() - 4);
          for (String l : inside.split("\r\n", -1)) {
            assertThat(l).as(payload).doesNotContain("\r", "\n")
                .doesNotStartWithIgnoringCase("set-cookie");
          }
          // The request line carries the percent-encodings verbatim.
          assertThat(escapes(RecordingUpstream.target(head))).as(payload)
              .isEqualTo(escapes(payload));
        }
        String location = e.response().headers().get("location");
        if (e.status() == 302) {
          assertThat(location).as(payload).startsWith("http://elsewhere.test")
              .doesNotContain("\r", "\n", " ");
          assertThat(escapes(location)).isEqualTo(escapes(payload));
        }
        outcomes.merge(host + " " + e.status(), 1, Integer::sum);
      }
    }
    System.out.println("B2 CRLF corpus outcomes: " + outcomes);
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  /** The CR/LF escapes of {@code s}, in order and as written. */
  private static List<String> escapes(String s) {
    List<String> found = new ArrayList<>();
    for (int i = s.indexOf('%'); i >= 0 && i + 2 < s.length(); i = s.indexOf('%', i + 1)) {
      String esc = s.substring(i, i + 3);
      if (esc.toLowerCase(Locale.ROOT).matches("%0[ad]")) {
        found.add(esc);
      }
    }
    return found;
  }

  static Path corpus(String file) {
    String conformance = System.getProperty("conformance.dir");
    assertThat(conformance).as("conformance.dir (set by the build)").isNotNull();
    Path p = Path.of(conformance).resolveSibling("security-corpora")
        .resolve("payloadsallthethings-crlf-traversal").resolve(file);
    assertThat(p).as("the corpus must be present, CI never skips it").exists();
    return p;
  }

  /** Percent-decodes every escape once (UTF-8, malformed bytes replaced). */
  private static String decode(String path) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c == '%' && i + 2 < path.length()
          && Character.digit(path.charAt(i + 1), 16) >= 0
          && Character.digit(path.charAt(i + 2), 16) >= 0) {
        out.write(Integer.parseInt(path.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        out.write(c);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /**
   * How a lenient file-system backend resolves a path: backslashes are separators, empty and
   * {@code .} segments vanish, {@code ..} pops (never above the root).
   */
  private static String normalise(String path) {
    Deque<String> segments = new ArrayDeque<>();
    String[] parts = path.replace('\\', '/').split("/", -1);
    for (String s : parts) {
      if (s.equals("..")) {
        segments.pollLast();
      } else if (!s.isEmpty() && !s.equals(".")) {
        segments.addLast(s);
      }
    }
    String joined = "/" + String.join("/", segments);
    boolean trailing = path.length() > 1 && (path.endsWith("/") || path.endsWith("/.")
        || path.endsWith("/.."));
    return trailing && !joined.equals("/") ? joined + "/" : joined;
  }
}
