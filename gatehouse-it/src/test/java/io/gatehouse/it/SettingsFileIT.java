package io.gatehouse.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.standalone.settings.SettingsFile;
import io.gatehouse.testing.EchoOptions;
import io.gatehouse.testing.EchoServer;
import io.netty.channel.EventLoopGroup;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
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
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gatehouse standalone --settings FILE} from the packaged jar, in its own process: settings
 * that differ from the defaults take effect on the wire, a flag wins over the file, the admin API
 * shows the effective settings, and an invalid file stops the start with the field's path.
 */
class SettingsFileIT {
  static final Path JAR = DemoIT.JAR;
  static final String GW = "127.0.40.1";
  static final String POD = "127.0.41.1";
  static final int PORT = 80 + GatewayHarness.PORT_OFFSET;
  static final Duration WAIT = Duration.ofSeconds(60);
  static final Pattern ADMIN = Pattern.compile("Admin API on http://127\\.0\\.0\\.1:(\\d+)/");
  /** Four settings a test below can see; the defaults are 1, 100, REJECT and 10 s. */
  static final String SETTINGS = """
      proxy:
        workers: 1
      headers:
        maxCount: 10
        underscores: DROP
      timeouts:
        requestHeaders: 1s
      """;

  @TempDir
  static Path tmp;
  static Path settingsFile;
  static EventLoopGroup echoGroup;
  static EchoServer pod;
  static Process gateway;
  static final List<String> log = new ArrayList<>();
  static int adminPort;

  @BeforeAll
  static void start() throws Exception {
    assertThat(JAR).exists();
    Path dir = Files.createDirectories(tmp.resolve("config"));
    Files.writeString(dir.resolve("gateway.yaml"), String.join("---\n",
        Manifests.gatewayClass(), Manifests.gateway("edge", GW),
        Manifests.service("echo", List.of(POD)),
        Manifests.route("echo", "edge", "settings.example.com", "/=echo")));
    settingsFile = Files.writeString(tmp.resolve("settings.yaml"), SETTINGS);
    echoGroup = EchoServer.newEventLoopGroup(1);
    pod = EchoServer.start(EchoOptions.of(POD, 3000, "echo-1", Manifests.NS), echoGroup);
    gateway = launch("standalone", "--config-dir", dir.toString(), "--settings",
        settingsFile.toString(), "--workers", "2", "--admin-port", "0", "--port-offset",
        Integer.toString(GatewayHarness.PORT_OFFSET));
    adminPort = Integer.parseInt(awaitLog(gateway, ADMIN).group(1));
    awaitLog(gateway, Pattern.compile("Applied generation 1 "));
  }

  @AfterAll
  static void stop() throws Exception {
    if (gateway != null) {
      stop(gateway);
    }
    if (pod != null) {
      pod.close();
    }
    if (echoGroup != null) {
      echoGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }

  @Test
  void adminApiShowsTheFileWithTheFlagOnTop() throws Exception {
    HttpResponse<String> response;
    try (HttpClient http = HttpClient.newHttpClient()) {
      response = http.send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + adminPort + "/settings")).timeout(WAIT).build(),
          HttpResponse.BodyHandlers.ofString());
    }
    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode settings = new ObjectMapper().readTree(response.body());
    assertThat(settings.at("/proxy/workers").asInt()).isEqualTo(2);
    assertThat(settings.at("/headers/maxCount").asInt()).isEqualTo(10);
    assertThat(SettingsFile.parse("GET /settings", response.body())).isEqualTo(
        SettingsFile.load(settingsFile).withWorkerThreads(2)
            .withPortOffset(GatewayHarness.PORT_OFFSET));
  }

  @Test
  void headerCountLimitIsTheFilesNotTheDefault() throws Exception {
    assertThat(statusLine(request(4))).isEqualTo("HTTP/1.1 200 OK");
    // 20 fields: within the default of 100, over the file's 10.
    assertThat(statusLine(request(19))).startsWith("HTTP/1.1 431 ");
  }

  @Test
  void underscoreHeadersAreDroppedNotRejected() throws Exception {
    String response = exchange("GET /u HTTP/1.1\r\nHost: settings.example.com\r\n"
        + "X_Secret: 1\r\nX-Visible: yes\r\nConnection: close\r\n\r\n");
    assertThat(statusLine(response)).isEqualTo("HTTP/1.1 200 OK");
    JsonNode headers = new ObjectMapper().readTree(response.substring(response.indexOf("\r\n\r\n")))
        .path("headers");
    assertThat(headers.has("X-Visible")).as("echoed headers %s", headers).isTrue();
    assertThat(headers.properties()).noneMatch(h -> h.getKey().equalsIgnoreCase("x_secret"));
  }

  @Test
  void slowRequestHeadersGet408AfterTheFilesTimeout() throws Exception {
    // Never completed: the default 10 s would outlast the 5 s read timeout of exchange().
    String response = exchange("GET / HTTP/1.1\r\nHost: settings.example.com\r\n");
    assertThat(statusLine(response)).startsWith("HTTP/1.1 408 ");
  }

  @Test
  void anInvalidFileStopsTheStartNamingTheField() throws Exception {
    Path bad = Files.writeString(tmp.resolve("bad.yaml"), "timeouts:\n  requestHeaders: 10x\n");
    Process p = launch("standalone", "--config-dir", tmp.toString(), "--settings",
        bad.toString(), "--admin-port", "0", "--port-offset", "20000");
    try {
      String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).isEqualTo(1);
      assertThat(err).contains("error: " + bad + ": timeouts.requestHeaders: \"10x\" is not a "
          + "duration (examples: 10s, 500ms, 1h)");
    } finally {
      stop(p);
    }
  }

  /** A GET with a Host header and {@code extra} more fields (Connection among them). */
  static String request(int extra) {
    StringBuilder head = new StringBuilder("GET /count HTTP/1.1\r\nHost: settings.example.com\r\n"
        + "Connection: close\r\n");
    for (int i = 1; i < extra; i++) {
      head.append("X-Field-").append(i).append(": ").append(i).append("\r\n");
    }
    return exchange(head.append("\r\n").toString());
  }

  /** Sends {@code request} and reads until the gateway closes (at most 5 s of silence). */
  static String exchange(String request) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(GW, PORT), 5000);
      socket.setSoTimeout(5000);
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      StringBuilder response = new StringBuilder();
      byte[] buf = new byte[8192];
      try {
        for (int n; (n = in.read(buf)) > 0;) {
          response.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
        }
      } catch (SocketTimeoutException e) {
        // what arrived so far is the answer; an empty one fails the caller's assertion
      }
      return response.toString();
    } catch (IOException e) {
      throw new AssertionError("exchange with " + GW + ":" + PORT + " failed", e);
    }
  }

  static String statusLine(String response) {
    int end = response.indexOf("\r\n");
    return end < 0 ? response : response.substring(0, end);
  }

  static Process launch(String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(
        ProcessHandle.current().info().command().orElse("java"), "-jar", JAR.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    builder.environment().put("GATEHOUSE_LOG_LEVEL", "INFO");
    return builder.start();
  }

  /** Reads the process's stderr until a line matches (within {@link #WAIT}). */
  static Matcher awaitLog(Process process, Pattern pattern) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    synchronized (log) {
      if (log.isEmpty()) {
        BufferedReader err = new BufferedReader(
            new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8));
        Thread.ofVirtual().start(() -> {
          try {
            for (String line; (line = err.readLine()) != null;) {
              synchronized (log) {
                log.add(line);
                log.notifyAll();
              }
            }
          } catch (IOException e) {
            // the process ended; the wait below reports what was logged
          }
        });
        log.add("(started)");
      }
      while (true) {
        Optional<Matcher> found = log.stream().map(pattern::matcher).filter(Matcher::find)
            .findFirst();
        if (found.isPresent()) {
          return found.get();
        }
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        assertThat(left).as("%s in the gateway's log %s", pattern, log).isPositive();
        log.wait(left);
      }
    }
  }

  static void stop(Process p) throws InterruptedException {
    p.destroy();
    if (!p.waitFor(10, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
  }
}
