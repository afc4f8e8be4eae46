package io.gatehouse.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The quickstart as a user runs it: {@code gatehouse demo} from the packaged jar, in its own
 * process; every curl line it prints is run with the real curl and must answer with the echo JSON
 * of the expected backend.
 */
class DemoIT {
  static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();
  static final Path JAR = ROOT.resolve("gatehouse-app/target/gatehouse.jar");
  static final Pattern ADMIN = Pattern.compile("Admin API: http://127\\.0\\.0\\.1:(\\d+)/ready");

  @Test
  void demoPrintsCurlCommandsThatReachTheExpectedBackends() throws Exception {
    assertThat(JAR).exists();
    String java = ProcessHandle.current().info().command().orElse("java");
    Process demo = new ProcessBuilder(java, "-jar", JAR.toString(), "demo", "--admin-port", "0",
        "--port-offset", "20000")
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .directory(ROOT.toFile())
        .start();
    try {
      List<String> output = readWelcome(demo);
      List<String> curls = output.stream().filter(l -> l.startsWith("curl ")).toList();
      assertThat(curls).as("curl lines in %s", output).hasSizeGreaterThanOrEqualTo(3);
      ObjectMapper json = new ObjectMapper();
      for (String curl : curls) {
        String body = run(curl);
        JsonNode echo = json.readTree(body);
        assertThat(echo.path("pod").asText()).as("pod answering %s", curl)
            .startsWith(expectedBackend(curl));
        assertThat(echo.path("namespace").asText()).isEqualTo("quickstart");
      }
      int adminPort = output.stream().map(ADMIN::matcher).filter(Matcher::find)
          .mapToInt(m -> Integer.parseInt(m.group(1))).findFirst().orElseThrow();
      HttpResponse<String> ready = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/ready")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(ready.statusCode()).isEqualTo(200);
    } finally {
      demo.destroy();
      if (!demo.waitFor(10, TimeUnit.SECONDS)) {
        demo.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    }
  }

  /** The example routes /catalog and /cart of shop.example.com, and api.example.com by weight. */
  static String expectedBackend(String curl) {
    if (curl.contains("shop.example.com")) {
      return curl.contains("/catalog") ? "catalog-" : "cart-";
    }
    return "api-v";
  }

  static List<String> readWelcome(Process demo) throws Exception {
    List<String> lines = new ArrayList<>();
    BufferedReader out = new BufferedReader(
        new InputStreamReader(demo.getInputStream(), StandardCharsets.UTF_8));
    Thread reader = Thread.ofVirtual().start(() -> {
      try {
        for (String line; (line = out.readLine()) != null;) {
          synchronized (lines) {
            lines.add(line);
          }
          if (line.startsWith("Press Ctrl-C")) {
            return;
          }
        }
      } catch (java.io.IOException e) {
        // the process ended; the assertions below report what was read
      }
    });
    reader.join(Duration.ofSeconds(90));
    synchronized (lines) {
      assertThat(lines).as("demo output").anyMatch(l -> l.startsWith("Press Ctrl-C"));
      return List.copyOf(lines);
    }
  }

  static String run(String curl) throws Exception {
    Process p = new ProcessBuilder("bash", "-c", curl + " --max-time 10").redirectErrorStream(true)
        .start();
    String body = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(15, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("exit code of %s: %s", curl, body).isZero();
    return body;
  }

}
