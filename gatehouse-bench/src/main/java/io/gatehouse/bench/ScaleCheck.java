package io.gatehouse.bench;

import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The control-plane scale check: writes {@code --routes} HTTPRoutes (default 10,000, with their
 * Gateway, Services and EndpointSlices) as YAML into a temporary directory, starts the standalone
 * gateway on it in a fresh JVM and reports the time from the start to the first byte served by the
 * last route, the heap used after a full GC, RSS and PSS, and translation times; then does the same
 * for an idle proxy with {@code --idle-routes} routes (default 1,000). Each measurement runs in its
 * own JVM, started with {@code --jvm-flags} (printed with the results), so that memory figures are
 * not shared. The backend is a small HTTP server in this process, on a free loopback port; the
 * gateway listens on another free loopback port; the admin API on an ephemeral one.
 *
 * <pre>
 * java -cp gatehouse-bench/target/gatehouse-bench.jar io.gatehouse.bench.ScaleCheck \
 *     [--routes 10000] [--idle-routes 1000] [--timeout 180] [--translations 8] \
 *     [--jvm-flags "-XX:+UseSerialGC -Xmx256m"] [--java /path/to/java] [--echo true] \
 *     [--idle-millis 1000]
 * </pre>
 *
 * Bounded: every child JVM is killed at {@code --timeout} seconds; the temporary directories and
 * the backend are removed on exit.
 */
public final class ScaleCheck {
  /** The flags the figures in docs/benchmarks.md were taken with. */
  public static final String DEFAULT_JVM_FLAGS = "-XX:+UseSerialGC -Xms8m -Xmx512m "
      + "-XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20 -Xss512k -XX:ReservedCodeCacheSize=64m "
      + "-XX:MaxMetaspaceSize=128m -XX:+UseCompactObjectHeaders -XX:TrimNativeHeapInterval=1000";

  /** Whether the child JVM's other output (logs, JVM diagnostics) is printed too. */
  private static boolean echoChild;
  /** How long the gateway stays idle before its idle memory is read. */
  private static long idleMillis;

  private ScaleCheck() {
  }

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("--child")) {
      ScaleProbe.main(Arrays.copyOfRange(args, 1, args.length), System.out);
      return;
    }
    Map<String, String> opts = options(args);
    int routes = Integer.parseInt(opts.getOrDefault("routes", "10000"));
    int idleRoutes = Integer.parseInt(opts.getOrDefault("idle-routes", "1000"));
    long timeout = Long.parseLong(opts.getOrDefault("timeout", "180"));
    int translations = Integer.parseInt(opts.getOrDefault("translations", "8"));
    String flags = opts.getOrDefault("jvm-flags", DEFAULT_JVM_FLAGS);
    echoChild = Boolean.parseBoolean(opts.getOrDefault("echo", "false"));
    idleMillis = Long.parseLong(opts.getOrDefault("idle-millis", "1000"));
    String java = opts.getOrDefault("java",
        Path.of(System.getProperty("java.home"), "bin", "java").toString());
    HttpServer backend = backend();
    try {
      System.out.println("JVM flags of the measured gateway: " + flags);
      System.out.println("java: " + java);
      Map<String, String> big = measure(java, flags, routes, backend, timeout, translations);
      Map<String, String> idle = measure(java, flags, idleRoutes, backend, timeout, 0);
      report(routes, big, idleRoutes, idle);
    } finally {
      backend.stop(0);
    }
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> opts = new LinkedHashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("expected --name value, got " + args[i]);
      }
      opts.put(args[i].substring(2), args[i + 1]);
    }
    return opts;
  }

  /** A backend answering 200 "ok" to everything, on a free loopback port. */
  private static HttpServer backend() throws IOException {
    HttpServer server = HttpServer.create(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    server.createContext("/", exchange -> {
      byte[] body = "ok\n".getBytes(StandardCharsets.US_ASCII);
      exchange.getRequestBody().readAllBytes();
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    return server;
  }

  /** Writes the manifests, runs one child JVM on them, returns its results. */
  static Map<String, String> measure(String java, String flags, int routes, HttpServer backend,
      long timeoutSeconds, int translations) throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("gatehouse-scale-");
    Process child = null;
    try {
      int port = ProxyApplyBenchmark.freeLoopbackPort();
      new ScaleManifests(routes, "127.0.0.1", port, "127.0.0.1",
          backend.getAddress().getPort()).write(dir);
      List<String> cmd = new ArrayList<>();
      cmd.add(java);
      cmd.addAll(Arrays.asList(flags.trim().split("\\s+")));
      cmd.addAll(List.of("-cp", System.getProperty("java.class.path"),
          ScaleCheck.class.getName(), "--child", dir.toString(), String.valueOf(routes),
          String.valueOf(port), String.valueOf(timeoutSeconds), String.valueOf(translations),
          String.valueOf(idleMillis)));
      child = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      Map<String, String> results = new LinkedHashMap<>();
      List<String> other = new ArrayList<>();
      Process running = child;
      Thread reader = new Thread(() -> read(running, results, other), "scale-check-reader");
      reader.setDaemon(true);
      reader.start();
      if (!child.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        throw new IOException("the gateway with " + routes + " routes did not finish within "
            + timeoutSeconds + " s");
      }
      reader.join(TimeUnit.SECONDS.toMillis(5));
      if (echoChild) {
        other.forEach(line -> System.out.println("  | " + line));
      }
      if (child.exitValue() != 0 || !results.containsKey("first_byte_ms")) {
        other.forEach(System.err::println);
        throw new IOException("the gateway with " + routes + " routes failed (exit "
            + child.exitValue() + ")");
      }
      return results;
    } finally {
      if (child != null && child.isAlive()) {
        child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      ScaleManifests.deleteTree(dir);
    }
  }

  private static void read(Process child, Map<String, String> results, List<String> other) {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(),
        StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        int eq = line.indexOf('=');
        if (line.startsWith("result.") && eq > 0) {
          synchronized (results) {
            results.put(line.substring("result.".length(), eq), line.substring(eq + 1));
          }
        } else {
          other.add(line);
        }
      }
    } catch (IOException e) {
      other.add("reading the child's output failed: " + e);
    }
  }

  private static void report(int routes, Map<String, String> big, int idleRoutes,
      Map<String, String> idle) {
    System.out.println("child JVM: " + big.get("java") + ", GC " + big.get("gc") + ", flags: "
        + big.get("jvm_flags"));
    System.out.printf("%n== %d HTTPRoutes (%d model routes) ==%n", routes, 2 * routes);
    big.forEach((k, v) -> System.out.println("  " + k + " = " + v));
    System.out.printf("%n== idle proxy, %d HTTPRoutes (%d model routes) ==%n", idleRoutes,
        2 * idleRoutes);
    idle.forEach((k, v) -> System.out.println("  " + k + " = " + v));
    System.out.println();
    goal(routes + " HTTPRoutes translated in <= 200 ms (median of in-process translations)",
        number(big, "translate_median_ms"), 200);
    goal("heap after full GC with them loaded <= 128 MiB", number(big, "idle_heap_used_mib"),
        128);
    goal("RSS of an idle proxy with " + idleRoutes + " routes <= 96 MiB",
        number(idle, "idle_rss_mib"), 96);
  }

  private static double number(Map<String, String> results, String key) {
    String v = results.get(key);
    try {
      return v == null ? Double.NaN : Double.parseDouble(v);
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  private static void goal(String what, double measured, double limit) {
    String verdict = Double.isNaN(measured) ? "NOT MEASURED" : measured <= limit ? "MET" : "MISSED";
    System.out.printf("goal: %-75s %8.1f  %s%n", what, measured, verdict);
  }
}
