package io.gatehouse.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.proxy.ProxyOptions;
import io.gatehouse.standalone.settings.SettingsFile;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class MainTest {
  record Run(int exitCode, String out, String err) {
  }

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code = cli.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"standalone", "settings", "demo", "echo", "translate", "conformance",
      "version"})
  void everyCommandHasUsefulHelp(String command) {
    Run run = run(command, "--help");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("Usage: gatehouse " + command, "--help");
    // The first line is a one-sentence summary, also shown in the top-level command list.
    assertThat(run.out().lines().findFirst().orElseThrow()).endsWith(".");
  }

  @Test
  void topLevelHelpListsTheCommands() {
    Run run = run("--help");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("standalone", "settings", "demo", "echo", "translate",
        "conformance", "version");
  }

  @Test
  void standaloneRequiresAnExistingDirectory() {
    Run run = run("standalone", "--config-dir", "/nonexistent/gatehouse");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("not a directory: /nonexistent/gatehouse");
  }

  @Test
  void settingsPrintsTheDefaultsWithoutAFile() {
    Run run = run("settings");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).startsWith("# Effective Gatehouse settings: the defaults.")
        .contains("  requestHeaders: 10s\n", "  maxCount: 100\n");
    assertThat(SettingsFile.parse("stdout", run.out())).isEqualTo(ProxyOptions.defaults());
  }

  @Test
  void settingsPrintsTheFileMergedWithTheDefaultsAndReadsBackEqual(@TempDir Path dir)
      throws Exception {
    Path file = Files.writeString(dir.resolve("settings.yaml"),
        "headers:\n  maxCount: 20\ntimeouts:\n  requestHeaders: 2500ms\n");
    Run run = run("settings", "--settings", file.toString());
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("merged with " + file, "  maxCount: 20\n",
        "  requestHeaders: 2.5s\n");
    ProxyOptions expected = SettingsFile.load(file);
    assertThat(expected.headers().maxCount()).isEqualTo(20);
    assertThat(SettingsFile.parse("stdout", run.out())).isEqualTo(expected);
  }

  @Test
  void settingsRefusesAnInvalidFileNamingTheField(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("settings.yaml"),
        "timeouts:\n  requestHeaders: 10x\n");
    Run run = run("settings", "--settings", file.toString());
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).isEqualTo("error: " + file + ": timeouts.requestHeaders: \"10x\" is "
        + "not a duration (examples: 10s, 500ms, 1h)" + System.lineSeparator());
  }

  @Test
  void standaloneFlagsWinOverTheSettingsFile(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("settings.yaml"),
        "proxy:\n  workers: 2\n  portOffset: 100\nheaders:\n  maxCount: 20\n");
    Run fileOnly = run("standalone", "--config-dir", dir.toString(), "--settings",
        file.toString(), "--print-settings");
    assertThat(fileOnly.exitCode()).isZero();
    assertThat(SettingsFile.parse("stdout", fileOnly.out())).isEqualTo(SettingsFile.load(file));

    Run flags = run("standalone", "--config-dir", dir.toString(), "--settings", file.toString(),
        "--workers", "5", "--port-offset", "20000", "--print-settings");
    assertThat(flags.exitCode()).isZero();
    assertThat(SettingsFile.parse("stdout", flags.out())).isEqualTo(
        SettingsFile.load(file).withWorkerThreads(5).withPortOffset(20000));

    Run noFile = run("standalone", "--config-dir", dir.toString(), "--workers", "4",
        "--print-settings");
    assertThat(SettingsFile.parse("stdout", noFile.out()))
        .isEqualTo(ProxyOptions.defaults().withWorkerThreads(4));
  }

  @Test
  void standaloneRefusesAnInvalidSettingsFileBeforeServing(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("settings.yaml"), "headers:\n  maxCount: 20\n"
        + "  trustedHop: 1\n");
    Run run = run("standalone", "--config-dir", dir.toString(), "--settings", file.toString());
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).isEqualTo("error: " + file + ": headers.trustedHop: unknown field "
        + "(known: underscores, maxCount, maxBytes, trustedHops, forwardedFor)"
        + System.lineSeparator());
  }

  @Test
  void standaloneRefusesWorkerCountsTheSettingsFileRefuses(@TempDir Path dir) {
    for (String workers : new String[]{"-1", "4097"}) {
      Run run = run("standalone", "--config-dir", dir.toString(), "--workers", workers);
      assertThat(run.exitCode()).isEqualTo(2);
      assertThat(run.err()).contains("--workers: must be 0 to 4096: " + workers);
    }
  }

  @Test
  void curlExamplesComeFromTheServedRoutes() {
    var listener = new io.gatehouse.model.HttpListener("ns/gw/80", "127.0.0.2", 80, List.of(
        new io.gatehouse.model.VirtualHost(List.of("shop.example.com", "*.example.org", "*"),
            List.of(new io.gatehouse.model.Route("ns/r/rule/0/match/0",
                io.gatehouse.model.RouteMatch.of(new io.gatehouse.model.PathMatch.Prefix("/cart")),
                List.of(), new io.gatehouse.model.Action.DirectResponse(500, "x"))))));
    var config = new io.gatehouse.model.GatewayConfig(new io.gatehouse.model.GatewayRef("ns", "gw"),
        1, List.of(listener), java.util.Map.of());
    assertThat(CurlExamples.of(List.of(config), 10000)).containsExactly(
        "curl -s -H 'Host: shop.example.com' http://127.0.0.2:10080/cart",
        "curl -s -H 'Host: demo.example.org' http://127.0.0.2:10080/cart",
        "curl -s http://127.0.0.2:10080/cart");
  }

  @Test
  void translatePrintsTheModelAndStatusesOfTheExample() throws Exception {
    Path example = Path.of(System.getProperty("user.dir")).getParent()
        .resolve("examples/quickstart");
    var stdout = System.out;
    var captured = new java.io.ByteArrayOutputStream();
    System.setOut(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
    int code;
    try {
      code = Main.commandLine().execute("translate", "-f", example.toString());
    } finally {
      System.setOut(stdout);
    }
    String yaml = captured.toString(java.nio.charset.StandardCharsets.UTF_8);
    assertThat(code).isZero();
    assertThat(yaml).contains("name: quickstart/public/80", "address: 127.0.0.2",
        "cluster: service/quickstart/api-v2/8080", "object: HTTPRoute/quickstart/shop");
  }
}
