package io.gatehouse.proxy.edge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SECURITY.md A3: every case of the {@code http-desync-guardian} corpus (159), serialised as a raw
 * request and sent to the edge, with its pass criterion asserted on the bytes the recording
 * upstream received. Severe: refused (4xx/5xx from the edge, connection closed), upstream 0 bytes.
 * Ambiguous: refused the same way, or forwarded as exactly one request whose body is the one the
 * client framed, with no leftover bytes. Compliant and Acceptable: forwarded the same way, except
 * the cases in {@link #STRICTER}, which the edge refuses on purpose (see {@code docs/security.md}).
 *
 * <p>
 * Serialisation: {@code method SP uri [SP version] CRLF}, each header as {@code name ":" value} (a
 * space is added when the value does not start with whitespace), {@code Host: edge.test} when the
 * case has no Host, then CRLF and a body matching the framing the client means: a chunked body
 * ({@code hello}) when a header is exactly {@code Transfer-Encoding: chunked}, else as many bytes
 * as a single numeric Content-Length says, else none.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Http1DesyncCorpusIT {
  private static final String DIR = "/security-corpora/http-desync-guardian/";
  private static final List<String> FILES = List.of("single-case.yaml", "rfc-compliant.yaml",
      "more-compliant-tests.yaml", "acceptable.yaml", "ambiguous.yaml", "severe.yaml",
      "bad-header-characters.yaml", "edge-cases.yaml", "real-life-test-cases.yaml",
      "uri-specific-test-cases.yaml");

  private static final String TE_ONLY_CHUNKED = "A4: Transfer-Encoding must be exactly one final chunked; other codings get 501";
  private static final String TARGET_CHARS = "A8: request-target bytes must be visible ASCII";
  private static final String NAME_CHARS = "A6: field names must be tokens";
  private static final String UNDERSCORE = "B4: field names with '_' are refused (HeaderPolicy underscores REJECT)";

  /**
   * Compliant or Acceptable cases the edge refuses (400 and close) because its policy is stricter
   * than the corpus's: each name with the rule that refuses it.
   */
  static final Map<String, String> STRICTER = new TreeMap<>(Map.ofEntries(
      Map.entry("Different Transfer-Encoding headers", TE_ONLY_CHUNKED),
      Map.entry("Different Transfer-Encoding headers combined", TE_ONLY_CHUNKED),
      Map.entry("Transfer-Encoding with a param: chunked;custom_param", TE_ONLY_CHUNKED),
      Map.entry("Correct TE OK", TE_ONLY_CHUNKED),
      Map.entry("Transfer-Encoding: identity and chunked OK", TE_ONLY_CHUNKED),
      Map.entry("Multiple transfer encoding headers in a single request OK", TE_ONLY_CHUNKED),
      Map.entry("TE with custom parameters OK", TE_ONLY_CHUNKED),
      Map.entry("Compliant URL", TARGET_CHARS + " ('#', '\"', '<', '>', ...)"),
      Map.entry("International in URI", TARGET_CHARS + " (raw UTF-8; percent-encode it)"),
      Map.entry("Empty URI", "A8: a request line needs a request-target"),
      Map.entry("[space] in URI", TARGET_CHARS + " (SP)"),
      Map.entry("Extra spaces in version", "A8: exactly one SP between the request-line parts"),
      Map.entry("No TE/CL headers, some others are non-compliant", NAME_CHARS + " (SP before ':')"),
      Map.entry("TE and some others are non-compliant", NAME_CHARS + " (SP before ':')"),
      Map.entry("CL and some others are non-compliant", NAME_CHARS + " (SP before ':')"),
      Map.entry("A non-essential header with a non-printable character (x01)", NAME_CHARS),
      Map.entry("Some-Header\\x01", NAME_CHARS),
      Map.entry("\\x01Some-Header", NAME_CHARS),
      Map.entry("Some-Header: \\x01value", "A6: no control characters in field values"),
      Map.entry("Some-Header: value\\x01", "A6: no control characters in field values"),
      Map.entry("Non-RFC, but OK HTTP/0.9", "A8: HTTP/0.9 is refused (505)"),
      Map.entry("Empty version, which means HTTP/0.9", "A8: HTTP/0.9 is refused (400)"),
      Map.entry("Unknown but OK HTTP/1.2", "A8: only HTTP/1.0 and HTTP/1.1 (505)"),
      Map.entry("Valid custom header with underscore in name", UNDERSCORE),
      Map.entry("Valid custom header with tchar in name and obs-text", UNDERSCORE)));

  private EdgeFixture edge;
  private final Map<String, int[]> counts = new TreeMap<>();

  @BeforeAll
  void start() {
    edge = new EdgeFixture();
  }

  @AfterAll
  void stop() {
    StringBuilder s = new StringBuilder(
        "http-desync-guardian: tier -> [cases, refused, forwarded]");
    counts.forEach((tier, c) -> s.append("\n  ").append(tier).append(": ").append(c[0])
        .append(", ").append(c[1]).append(", ").append(c[2]));
    System.out.println(s);
    edge.close();
  }

  record Case(String file, String name, String tier, byte[] request, String body) {
    @Override
    public String toString() {
      return file + ": " + name;
    }
  }

  static Stream<Arguments> cases() {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    List<Arguments> all = new ArrayList<>();
    for (String file : FILES) {
      try (InputStream in = Http1DesyncCorpusIT.class.getResourceAsStream(DIR + file)) {
        for (JsonNode c : yaml.readTree(in)) {
          all.add(Arguments.of(toCase(file, c)));
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return all.stream();
  }

  @Test
  void corpusHas159Cases() {
    assertThat(cases().count()).isEqualTo(159);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void passCriterionHolds(Case c) {
    edge.upstream.reset();
    EdgeClient.Response r;
    boolean closed;
    try (EdgeClient client = edge.client()) {
      r = client.send(c.request()).read();
      closed = r != null && r.status() != 200 && client.closedByServer();
    }
    boolean forwarded = r != null && r.status() == 200 && r.headers().containsKey("x-recorded");
    int[] n = counts.computeIfAbsent(c.tier(), t -> new int[3]);
    n[0]++;
    n[forwarded ? 2 : 1]++;
    if (forwarded) {
      assertThat(c.tier()).as("forwarded although Severe").isNotEqualTo("Severe");
      assertThat(edge.upstream.requests()).as("upstream requests").hasSize(1);
      assertThat(edge.upstream.leftover()).as("upstream leftover bytes").isZero();
      assertThat(edge.upstream.requests().get(0).bodyText()).as("body boundaries")
          .isEqualTo(c.body());
      assertThat(STRICTER).as("listed as refused").doesNotContainKey(c.name());
    } else {
      assertThat(r).as("a response before the close").isNotNull();
      assertThat(r.status()).as("refused by the edge").isIn(400, 414, 501, 505);
      assertThat(r.closeRequested()).as("Connection: close").isTrue();
      assertThat(closed).as("connection closed").isTrue();
      assertThat(edge.upstream.bytesReceived()).as("upstream bytes").isZero();
      if (Set.of("Compliant", "Acceptable").contains(c.tier())) {
        assertThat(STRICTER).as("refused without a documented rule").containsKey(c.name());
      }
    }
  }

  @Test
  void aPlainRequestStillWorksAfterwards() {
    try (EdgeClient client = edge.client()) {
      EdgeClient.Response r = client.send("GET /ok HTTP/1.1\r\nHost: edge.test\r\n\r\n").read();
      assertThat(r).isNotNull();
      assertThat(r.status()).isEqualTo(200);
    }
  }

  private static Case toCase(String file, JsonNode c) {
    StringBuilder head = new StringBuilder();
    String version = c.path("version").asText("");
    head.append(c.get("method").asText()).append(' ').append(c.get("uri").asText());
    if (!version.isEmpty()) {
      head.append(' ').append(version);
    }
    head.append("\r\n");
    boolean host = false;
    boolean chunked = false;
    List<String> lengths = new ArrayList<>();
    for (JsonNode h : c.path("headers")) {
      String name = h.get("name").asText();
      String value = h.get("value").asText();
      host |= name.equalsIgnoreCase("host");
      chunked |= name.equalsIgnoreCase("transfer-encoding") && value.strip().equals("chunked");
      if (name.equalsIgnoreCase("content-length")) {
        lengths.add(value.strip());
      }
      boolean ws = value.startsWith(" ") || value.startsWith("\t");
      head.append(name).append(':').append(ws ? "" : " ").append(value).append("\r\n");
    }
    if (!host) {
      head.append("Host: edge.test\r\n");
    }
    head.append("\r\n");
    String body = "";
    String wire = "";
    if (chunked) {
      body = "hello";
      wire = "5\r\nhello\r\n0\r\n\r\n";
    } else if (lengths.size() == 1 && lengths.get(0).matches("[0-9]{1,7}")) {
      body = "x".repeat(Integer.parseInt(lengths.get(0)));
      wire = body;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(bytes(head.toString()));
    out.writeBytes(bytes(wire));
    return new Case(file, c.get("name").asText(),
        c.get("expected").get("tier").asText().strip(), out.toByteArray(), body);
  }

  /** Latin-1 for characters up to U+00FF (the corpus's {@code \xNN}), UTF-8 above. */
  static byte[] bytes(String s) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (ch <= 0xff) {
        out.write(ch);
      } else {
        out.writeBytes(String.valueOf(ch).getBytes(StandardCharsets.UTF_8));
      }
    }
    return out.toByteArray();
  }

  static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }
}
