package io.gatehouse.bench;

import io.gatehouse.bench.GrpcLoad.Result;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * gRPC through Gatehouse against the backend called directly (issue 8). Starts a {@link GrpcEcho}
 * backend ({@link GrpcBackendProcess}, h2c on loopback) pinned to {@code --backend-cpus}, and the
 * packaged Gatehouse ({@code java -jar gatehouse.jar standalone}) pinned to {@code --proxy-cpus}
 * with one HTTP listener and an HTTPRoute to the backend's Service port of {@code appProtocol:
 * kubernetes.io/h2c} (so the proxy speaks h2c upstream). This process is the client
 * ({@link GrpcLoad}); start it pinned beside the backend, as {@code bench/grpc.sh} does.
 *
 * <p>
 * After the proxy's JIT warm-up ({@code --proxy-warmup} seconds of unary and streaming load through
 * it) each repeat runs, for the backend direct (the ceiling) and through Gatehouse in alternating
 * order (ABBA):
 * <ul>
 * <li>{@code unary}: {@code --inflight} calls in flight over {@code --channels} connections,
 * calls/s;
 * <li>{@code stream}: {@code --streams} bidirectional streams echoing {@code --payload}-byte
 * messages, each sending only when its call is ready and fewer than {@code --stream-window}
 * messages are unanswered (0: HTTP/2 flow control alone bounds them), echoed messages/s;
 * <li>{@code latency}: unary calls at {@code --rate} per second (default 1,000; 0: a quarter of the
 * median unary throughput through Gatehouse), p50/p99 from each call's intended start.
 * </ul>
 * Every run reads the proxy's and the backend's CPU time (user+sys, {@code /proc/PID/stat}) over
 * its measured window and divides by the calls or messages: µs per call. Prints each run and a
 * summary of medians with ratios (via Gatehouse / direct), and writes {@code results.tsv} and
 * {@code summary.md} into {@code --out}. Every process it starts is stopped by PID when it ends.
 *
 * <p>
 * Usage: {@code java -cp gatehouse-bench.jar io.gatehouse.bench.GrpcBench --gatehouse-jar JAR
 * [--proxy-java JAVA] [--proxy-jvm-opts "..."] [--proxy-cpus 0] [--backend-cpus 1] [--workers 1]
 * [--proxy-warmup 45] [--warmup 3] [--duration 10] [--repeats 3] [--inflight 64] [--channels 4]
 * [--streams 4] [--stream-window 100] [--payload 100] [--rate 1000] [--scenarios unary,stream,latency] [--out DIR]}.
 * Hold {@code flock /tmp/gatehouse-bench.lock}.
 */
public final class GrpcBench {
  private static final long CLOCK_TICK_MICROS = 10_000; // USER_HZ = 100 on Linux

  private String gatehouseJar = "gatehouse-app/target/gatehouse.jar";
  private String proxyJava = ProcessHandle.current().info().command().orElse("java");
  private String proxyJvmOpts = "-Xms512m -Xmx512m -XX:+AlwaysPreTouch -XX:+UseParallelGC";
  private String proxyCpus = "0";
  private String backendCpus = "1";
  private int workers = 1;
  private int proxyWarmup = 45;
  private double warmup = 3;
  private double duration = 10;
  private int repeats = 3;
  private int inflight = 64;
  private int channels = 4;
  private int streams = 4;
  private int streamWindow = 100;
  private int payloadBytes = 100;
  private int rate = 1000;
  private List<String> scenarios = List.of("unary", "stream", "latency");
  private Path out = Path.of("gatehouse-bench/target/grpc/"
      + Instant.now().toString().replace(":", "").replaceAll("\\..*", "Z"));

  private final List<Process> started = new ArrayList<>();
  private final List<Run> runs = new ArrayList<>();
  private String lastStats = "";
  private PrintStream log = System.out;

  /** One measured run: a scenario against one target. */
  record Run(String target, String scenario, int repeat, Result result, double proxyMicros,
      double backendMicros, double otherOnProxyCpu, String load) {
  }

  public static void main(String[] args) throws Exception {
    GrpcBench b = new GrpcBench();
    for (int i = 0; i < args.length; i += 2) {
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("missing value of " + args[i]);
      }
      String v = args[i + 1];
      switch (args[i]) {
        case "--gatehouse-jar" -> b.gatehouseJar = v;
        case "--proxy-java" -> b.proxyJava = v;
        case "--proxy-jvm-opts" -> b.proxyJvmOpts = v;
        case "--proxy-cpus" -> b.proxyCpus = v;
        case "--backend-cpus" -> b.backendCpus = v;
        case "--workers" -> b.workers = Integer.parseInt(v);
        case "--proxy-warmup" -> b.proxyWarmup = Integer.parseInt(v);
        case "--warmup" -> b.warmup = Double.parseDouble(v);
        case "--duration" -> b.duration = Double.parseDouble(v);
        case "--repeats" -> b.repeats = Integer.parseInt(v);
        case "--inflight" -> b.inflight = Integer.parseInt(v);
        case "--channels" -> b.channels = Integer.parseInt(v);
        case "--streams" -> b.streams = Integer.parseInt(v);
        case "--stream-window" -> b.streamWindow = Integer.parseInt(v);
        case "--payload" -> b.payloadBytes = Integer.parseInt(v);
        case "--rate" -> b.rate = Integer.parseInt(v);
        case "--scenarios" -> b.scenarios = List.of(v.split(","));
        case "--out" -> b.out = Path.of(v);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Thread stopper = new Thread(b::stopAll, "grpc-bench-stop");
    Runtime.getRuntime().addShutdownHook(stopper);
    try {
      b.run();
    } finally {
      b.stopAll();
    }
    System.exit(0);
  }

  private void run() throws Exception {
    Files.createDirectories(out);
    byte[] payload = new byte[payloadBytes];
    Arrays.fill(payload, (byte) 'g');
    say("gRPC benchmark: out %s, proxy %s on cpus %s (%d workers, %s), backend and client on"
        + " cpus %s; %d in flight over %d channels, %d streams, %d-byte messages; %d s proxy"
        + " warm-up, %.0f s warm-up + %.0f s per run, %d repeats; load average %s", out,
        proxyJava, proxyCpus, workers, proxyJvmOpts, backendCpus, inflight, channels, streams,
        payloadBytes, proxyWarmup, warmup, duration, repeats, loadAverage());
    Backend backend = startBackend();
    int listenPort = freePort();
    Path config = writeConfig(out.resolve("conf"), listenPort, backend.port);
    Process proxy = startProxy(config);
    try (GrpcLoad direct = new GrpcLoad(backend.port, channels);
        GrpcLoad gatehouse = new GrpcLoad(listenPort, channels)) {
      awaitReady(listenPort, proxy, 90);
      say("proxy pid %d ready on 127.0.0.1:%d, backend pid %d on 127.0.0.1:%d", proxy.pid(),
          listenPort, backend.process.pid(), backend.port);
      if (proxyWarmup > 0) {
        double half = proxyWarmup / 2.0;
        report("warm-up", "unary", gatehouse.unary(inflight, payload, 0, half));
        report("warm-up", "stream", gatehouse.stream(streams, streamWindow, payload, 0, half));
        // The direct path's own warm-up (the client's and backend's code is shared, their
        // connections and the other core's caches are not).
        report("warm-up", "direct unary", direct.unary(inflight, payload, 0, 10));
        report("warm-up", "direct stream", direct.stream(streams, streamWindow, payload, 0, 5));
      }
      long p0 = cpuTicks(proxy.pid());
      long b0 = cpuTicks(backend.process.pid());
      Thread.sleep(3000);
      say("idle for 3 s: proxy CPU %d ms, backend CPU %d ms", (cpuTicks(proxy.pid()) - p0)
          * CLOCK_TICK_MICROS / 1000,
          (cpuTicks(backend.process.pid()) - b0) * CLOCK_TICK_MICROS
              / 1000);
      for (int r = 1; r <= repeats; r++) {
        List<String> order = r % 2 == 1
            ? List.of("direct", "gatehouse")
            : List.of("gatehouse", "direct");
        for (String scenario : scenarios) {
          if (scenario.equals("latency")) {
            continue;
          }
          for (String target : order) {
            GrpcLoad load = target.equals("direct") ? direct : gatehouse;
            measure(target, scenario, r, load, proxy, backend, () -> scenario.equals("unary")
                ? load.unary(inflight, payload, warmup, duration)
                : load.stream(streams, streamWindow, payload, warmup, duration));
          }
        }
      }
      if (scenarios.contains("latency")) {
        int fixedRate = rate > 0 ? rate : autoRate();
        say("latency at %d calls/s", fixedRate);
        for (int r = 1; r <= repeats; r++) {
          for (String target : r % 2 == 1
              ? List.of("direct", "gatehouse")
              : List.of("gatehouse", "direct")) {
            GrpcLoad load = target.equals("direct") ? direct : gatehouse;
            measure(target, "latency", r, load, proxy, backend,
                () -> load.unaryAtRate(fixedRate, payload, warmup, duration));
          }
        }
      }
    }
    say("backend: %s", backend.served());
    String summary = summary();
    Files.writeString(out.resolve("summary.md"), summary);
    Files.writeString(out.resolve("results.tsv"), tsv());
    log.println();
    log.print(summary);
    say("done: %s", out.resolve("summary.md"));
  }

  @FunctionalInterface
  private interface Load {
    Result run() throws InterruptedException;
  }

  private void measure(String target, String scenario, int repeat, GrpcLoad load, Process proxy,
      Backend backend, Load body) throws InterruptedException {
    long[] cpu = new long[4];
    long[][] core = new long[2][];
    load.onWindow(() -> {
      core[0] = coreTicks(proxyCpus);
      cpu[0] = cpuTicks(proxy.pid());
      cpu[1] = cpuTicks(backend.process.pid());
    }, () -> {
      core[1] = coreTicks(proxyCpus);
      cpu[2] = cpuTicks(proxy.pid());
      cpu[3] = cpuTicks(backend.process.pid());
    });
    String before = loadAverage();
    Result result = body.run();
    long n = Math.max(1, result.completed());
    double proxyMicros = target.equals("direct")
        ? 0
        : (cpu[2] - cpu[0]) * (double) CLOCK_TICK_MICROS / n;
    double backendMicros = (cpu[3] - cpu[1]) * (double) CLOCK_TICK_MICROS / n;
    // Share of the proxy's core that went to other programs (the noise on its measurements).
    double other = Double.NaN;
    if (core[0] != null && core[1] != null) {
      long total = core[1][0] - core[0][0];
      long busy = core[1][1] - core[0][1];
      long own = target.equals("direct") ? 0 : cpu[2] - cpu[0];
      other = total <= 0 ? Double.NaN : Math.max(0, 100.0 * (busy - own) / total);
    }
    Run run = new Run(target, scenario, repeat, result, proxyMicros, backendMicros, other,
        before + " -> " + loadAverage());
    runs.add(run);
    report(target + " #" + repeat, scenario, result);
    try {
      Files.writeString(out.resolve("results.tsv"), tsv());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (!target.equals("direct")) {
      String stats = proxyStats();
      if (!stats.equals(lastStats)) {
        log.println("    proxy /stats: " + stats);
        lastStats = stats;
      }
    }
    log.printf(Locale.ROOT, "    proxy %.1f us/%s, backend %.1f us/%s, other programs on the"
        + " proxy's cpu %.0f %%, load average %s%n", proxyMicros, unit(scenario), backendMicros,
        unit(scenario), other, run.load());
    if (!proxy.isAlive()) {
      throw new IllegalStateException("the proxy exited (" + proxy.exitValue() + "), see "
          + out.resolve("proxy.log"));
    }
  }

  private void report(String what, String scenario, Result r) {
    String latency = r.latency().getTotalCount() == 0
        ? ""
        : String.format(Locale.ROOT, "  p50 %7.0f us  p99 %8.0f us", r.micros(50), r.micros(99));
    log.printf(Locale.ROOT, "  %-14s %-8s %10.0f %s/s  (%d in %.1f s)%s  first after %.0f ms"
        + "  errors %d%s%s%n", what, scenario, r.perSecond(), unit(scenario), r.completed(),
        r.seconds(), latency, r.firstMillis(), r.errorCount(),
        r.errors().isEmpty() ? "" : " " + r.errors(),
        r.stalledSeconds() == 0
            ? ""
            : "  STALLED " + r.stalledSeconds() + " s, per second: "
                + r.timeline());
    if (r.answered() != r.sent()) {
      log.printf(Locale.ROOT, "    UNANSWERED: %d sent, %d answered%n", r.sent(), r.answered());
    }
  }

  private static String unit(String scenario) {
    return scenario.contains("stream") ? "msg" : "call";
  }

  /** A quarter of the median unary throughput through Gatehouse, rounded down to 100 (≥ 100). */
  private int autoRate() {
    double[] v = runs.stream().filter(r -> r.scenario.equals("unary")
        && r.target.equals("gatehouse")).mapToDouble(r -> r.result.perSecond()).toArray();
    return v.length == 0 ? 1000 : Math.max(100, (int) (median(v) / 4 / 100) * 100);
  }

  // ------------------------------------------------------------------------------- summary

  private String summary() {
    StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT, "gRPC through Gatehouse vs direct: %d repeats of %.0f s"
        + " (medians, min-max), %d-byte messages; proxy cpus %s, %d workers%n%n", repeats,
        duration, payloadBytes, proxyCpus, workers));
    s.append("| scenario | direct | via Gatehouse | ratio | proxy CPU µs per call/msg"
        + " | backend CPU µs, direct / via | other load on the proxy's cpu % | errors |\n"
        + "|---|---|---|---|---|---|---|---|\n");
    for (String sc : List.of("unary", "stream")) {
      List<Run> d = select("direct", sc);
      List<Run> g = select("gatehouse", sc);
      if (d.isEmpty() || g.isEmpty()) {
        continue;
      }
      double dm = median(d, r -> r.result.perSecond());
      double gm = median(g, r -> r.result.perSecond());
      s.append(String.format(Locale.ROOT, "| %s (%s/s) | %s | %s | **%.2f** | %.1f | %.1f / %.1f"
          + " | %.0f | %d / %d |%n",
          sc.equals("unary")
              ? "unary, " + inflight + " in flight"
              : "stream, " + streams + " bidi streams, window " + streamWindow,
          unit(sc), range(d, r -> r.result.perSecond()), range(g, r -> r.result.perSecond()),
          gm / dm, median(g, Run::proxyMicros), median(d, Run::backendMicros),
          median(g, Run::backendMicros), median(g, Run::otherOnProxyCpu), errors(d),
          errors(g)));
    }
    List<Run> dl = select("direct", "latency");
    List<Run> gl = select("gatehouse", "latency");
    if (!dl.isEmpty() && !gl.isEmpty()) {
      s.append(String.format(Locale.ROOT, "%n| unary at %.0f calls/s | p50 µs | p99 µs |"
          + " proxy CPU µs/call | errors |%n|---|---|---|---|---|%n",
          median(dl, r -> r.result.completed() / r.result.seconds())));
      for (List<Run> l : List.of(dl, gl)) {
        s.append(String.format(Locale.ROOT, "| %s | %s | %s | %.1f | %d |%n", l.get(0).target,
            range(l, r -> r.result.micros(50)), range(l, r -> r.result.micros(99)),
            median(l, Run::proxyMicros), errors(l)));
      }
      s.append(String.format(Locale.ROOT, "| added by Gatehouse (medians) | %.0f | %.0f | | |%n",
          median(gl, r -> r.result.micros(50)) - median(dl, r -> r.result.micros(50)),
          median(gl, r -> r.result.micros(99)) - median(dl, r -> r.result.micros(99))));
    }
    s.append(String.format(Locale.ROOT, "%nload average (1/5/15 min) per run: %s%n",
        String.join("; ", runs.stream().map(r -> r.target + " " + r.scenario + " #" + r.repeat
            + ": " + r.load).toList())));
    List<String> stalls = runs.stream().filter(r -> r.result.stalledSeconds() > 0)
        .map(r -> r.target + " " + r.scenario + " #" + r.repeat + ": " + r.result.stalledSeconds()
            + " s without progress")
        .toList();
    if (!stalls.isEmpty()) {
      s.append("stalls: ").append(String.join("; ", stalls)).append('\n');
    }
    runs.stream().filter(r -> r.result.errorCount() > 0).forEach(r -> s.append(String.format(
        "errors %s %s #%d: %s%n", r.target, r.scenario, r.repeat, r.result.errors())));
    runs.stream().filter(r -> r.result.answered() != r.result.sent()).forEach(r -> s.append(
        String.format("unanswered %s %s #%d: %d sent, %d answered%n", r.target, r.scenario,
            r.repeat, r.result.sent(), r.result.answered())));
    return s.toString();
  }

  private String tsv() {
    StringBuilder s = new StringBuilder("target\tscenario\trepeat\tcompleted\tseconds\tper_second"
        + "\tp50_us\tp99_us\terrors\tstalled_s\tproxy_us\tbackend_us\tother_on_proxy_cpu_pct"
        + "\tfirst_ms\tload\n");
    for (Run r : runs) {
      s.append(String.format(Locale.ROOT, "%s\t%s\t%d\t%d\t%.3f\t%.1f\t%.0f\t%.0f\t%d\t%d\t%.2f"
          + "\t%.2f\t%.0f\t%.0f\t%s%n", r.target, r.scenario, r.repeat, r.result.completed(),
          r.result.seconds(), r.result.perSecond(), r.result.micros(50), r.result.micros(99),
          r.result.errorCount(), r.result.stalledSeconds(), r.proxyMicros, r.backendMicros,
          r.otherOnProxyCpu, r.result.firstMillis(), r.load));
    }
    return s.toString();
  }

  private List<Run> select(String target, String scenario) {
    return runs.stream().filter(r -> r.target.equals(target) && r.scenario.equals(scenario))
        .toList();
  }

  private static long errors(List<Run> l) {
    return l.stream().mapToLong(r -> r.result.errorCount()).sum();
  }

  private static String range(List<Run> l, ToDoubleFunction<Run> f) {
    double[] v = l.stream().mapToDouble(f).sorted().toArray();
    return String.format(Locale.ROOT, "%.0f (%.0f–%.0f)", median(v), v[0], v[v.length - 1]);
  }

  private static double median(List<Run> l, ToDoubleFunction<Run> f) {
    return median(l.stream().mapToDouble(f).toArray());
  }

  static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    int n = v.length;
    return n == 0 ? Double.NaN : n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }

  // ----------------------------------------------------------------------------- processes

  private record Backend(Process process, int port, BufferedReader out) {
    String served() throws IOException {
      process.getOutputStream().write('\n');
      process.getOutputStream().flush();
      String line = out.readLine();
      return line == null ? "(exited)" : line;
    }
  }

  private Backend startBackend() throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(pinned(backendCpus));
    cmd.addAll(List.of(ProcessHandle.current().info().command().orElse("java"), "-Xms256m",
        "-Xmx256m", "-XX:+UseParallelGC", "-cp", System.getProperty("java.class.path"),
        GrpcBackendProcess.class.getName(), "0"));
    Process p = start(new ProcessBuilder(cmd)
        .redirectError(out.resolve("backend.log").toFile()));
    BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
        StandardCharsets.UTF_8));
    BlockingQueue<String> first = new LinkedBlockingQueue<>();
    Thread.ofPlatform().daemon().start(() -> {
      try {
        String line = r.readLine();
        first.add(line == null ? "exited" : line);
      } catch (IOException e) {
        first.add("exited");
      }
    });
    String line = first.poll(30, TimeUnit.SECONDS);
    if (line == null || !line.startsWith("ready ")) {
      throw new IllegalStateException("backend not ready (" + line + "), see "
          + out.resolve("backend.log"));
    }
    return new Backend(p, Integer.parseInt(line.substring(6).trim()), r);
  }

  private Process startProxy(Path config) throws IOException {
    List<String> cmd = new ArrayList<>(pinned(proxyCpus));
    cmd.add(proxyJava);
    cmd.addAll(Arrays.stream(proxyJvmOpts.trim().split("\\s+")).filter(s -> !s.isEmpty())
        .toList());
    cmd.addAll(List.of("--sun-misc-unsafe-memory-access=allow", "-jar", gatehouseJar,
        "standalone", "--config-dir", config.toString(), "--admin-port", "0", "--workers",
        String.valueOf(workers)));
    Files.writeString(out.resolve("proxy.cmd"), String.join(" ", cmd) + "\n");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(out.resolve("proxy.log").toFile());
    pb.environment().put("GATEHOUSE_ACCESS_LOG", "OFF");
    return start(pb);
  }

  private Process start(ProcessBuilder pb) throws IOException {
    Process p = pb.start();
    synchronized (started) {
      started.add(p);
    }
    return p;
  }

  /** The proxy's rejection counters (admin API {@code /stats}; its port is in the proxy's log). */
  private String proxyStats() {
    try {
      Matcher m = Pattern.compile("Admin API on (http://127\\.0\\.0\\.1:\\d+/)")
          .matcher(Files.readString(out.resolve("proxy.log")));
      if (!m.find()) {
        return "(admin port not in the log)";
      }
      try (HttpClient client = HttpClient.newHttpClient()) {
        return client.send(HttpRequest.newBuilder(URI.create(m.group(1) + "stats"))
            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body()
            .trim();
      }
    } catch (IOException e) {
      return "(" + e + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "(interrupted)";
    }
  }

  /** Waits until a unary call through the proxy succeeds. */
  private void awaitReady(int port, Process proxy, int seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    try {
      String last = "";
      while (System.nanoTime() < deadline) {
        if (!proxy.isAlive()) {
          throw new IllegalStateException("the proxy exited (" + proxy.exitValue() + "), see "
              + out.resolve("proxy.log"));
        }
        try {
          byte[] echo = ClientCalls.blockingUnaryCall(ch, GrpcEcho.UNARY,
              CallOptions.DEFAULT.withDeadlineAfter(2, TimeUnit.SECONDS), new byte[]{42});
          if (echo.length == 1 && echo[0] == 42) {
            return;
          }
          last = "wrong echo";
        } catch (RuntimeException e) {
          last = e.toString();
        }
        Thread.sleep(250);
      }
      throw new IllegalStateException("no gRPC call through the proxy succeeded in " + seconds
          + " s; last: " + last + "; see " + out.resolve("proxy.log"));
    } finally {
      ch.shutdownNow();
    }
  }

  /** Stops every started process by PID (TERM, then KILL after 10 s), last started first. */
  private void stopAll() {
    List<Process> all;
    synchronized (started) {
      all = new ArrayList<>(started);
      started.clear();
    }
    for (int i = all.size() - 1; i >= 0; i--) {
      Process p = all.get(i);
      try {
        p.getOutputStream().close();
      } catch (IOException e) {
        // already gone
      }
      p.destroy();
      try {
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          p.waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }

  // ------------------------------------------------------------------------------- helpers

  /**
   * The standalone configuration: a Gateway with one HTTP listener on {@code 127.0.0.1:port}, an
   * HTTPRoute sending everything to Service {@code grpc-backend} port 80, whose {@code appProtocol}
   * {@code kubernetes.io/h2c} makes the proxy speak h2c (prior knowledge) to its one endpoint
   * {@code 127.0.0.1:backendPort}.
   */
  static Path writeConfig(Path dir, int port, int backendPort) throws IOException {
    Files.createDirectories(dir);
    String yaml = """
        apiVersion: gateway.networking.k8s.io/v1
        kind: GatewayClass
        metadata:
          name: gatehouse
        spec:
          controllerName: gatehouse.io/gateway-controller
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata:
          name: grpc-bench
          namespace: default
        spec:
          gatewayClassName: gatehouse
          addresses:
          - type: IPAddress
            value: 127.0.0.1
          listeners:
          - name: http
            protocol: HTTP
            port: %1$d
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata:
          name: grpc-backend
          namespace: default
        spec:
          parentRefs:
          - name: grpc-bench
          rules:
          - backendRefs:
            - name: grpc-backend
              port: 80
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: grpc-backend
          namespace: default
        spec:
          ports:
          - name: grpc
            port: 80
            targetPort: %2$d
            appProtocol: kubernetes.io/h2c
        ---
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata:
          name: grpc-backend-1
          namespace: default
          labels:
            kubernetes.io/service-name: grpc-backend
        addressType: IPv4
        ports:
        - name: grpc
          port: %2$d
          protocol: TCP
          appProtocol: kubernetes.io/h2c
        endpoints:
        - addresses:
          - 127.0.0.1
          conditions:
            ready: true
        """.formatted(port, backendPort);
    Files.writeString(dir.resolve("grpc-bench.yaml"), yaml);
    return dir;
  }

  /** User + system CPU time of a process and its threads, in clock ticks. */
  private static long cpuTicks(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Total and busy (not idle, not iowait) ticks of one CPU from {@code /proc/stat}, or null when
   * {@code cpus} is not a single CPU number.
   */
  private static long[] coreTicks(String cpus) {
    if (!cpus.matches("\\d+")) {
      return null;
    }
    try {
      for (String line : Files.readAllLines(Path.of("/proc/stat"))) {
        if (line.startsWith("cpu" + cpus + " ")) {
          String[] f = line.trim().split("\\s+");
          long total = 0;
          for (int i = 1; i < Math.min(f.length, 9); i++) { // user..steal, not guest
            total += Long.parseLong(f[i]);
          }
          long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
          return new long[]{total, total - idle};
        }
      }
      return null;
    } catch (IOException e) {
      return null;
    }
  }

  private static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException e) {
      return "?";
    }
  }

  private static List<String> pinned(String cpus) {
    return cpus.isEmpty() ? List.of() : List.of("taskset", "-c", cpus);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private void say(String format, Object... args) {
    log.printf(Locale.ROOT, "[%tT] %s%n", System.currentTimeMillis(),
        String.format(Locale.ROOT, format, args));
  }
}
