package io.gatehouse.bench;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * SECURITY.md E2's latency criterion with each party in its own OS process: the proxy
 * ({@link RapidResetProxyProcess}) and the attacker ({@link RapidResetAttacker}) are separate JVMs
 * started through {@code taskset} on chosen CPUs, and this process is the well-behaved client
 * (start it under {@code taskset} too). The client sends GETs over one h2c connection at a fixed
 * rate and records each latency from the request's <em>intended</em> send time (HdrHistogram), so a
 * stall counts for every request it delayed (no coordinated omission). Baseline and attack phases
 * alternate {@code rounds} times after an unrecorded warm-up of both; the attacker process is
 * started for each attack phase and killed after it. Prints each phase (p50, p99, p99.9, max, the
 * proxy process's CPU time from {@code /proc}), then the medians over the rounds and their ratios.
 *
 * <p>
 * Usage: {@code java -cp gatehouse-bench.jar io.gatehouse.bench.RapidResetUnderLoad [--proxy-cpus
 * 0] [--attacker-cpus 1] [--workers 1] [--rate 2000] [--phase 10] [--rounds 3] [--proxy-jar JAR]
 * [--proxy-jvm-arg ARG]... [--proxy-arg ARG]...}. Hold {@code flock /tmp/gatehouse-bench.lock}.
 */
public final class RapidResetUnderLoad {
  private static final long HIGHEST_NANOS = TimeUnit.SECONDS.toNanos(60);

  private String proxyCpus = "0";
  private String attackerCpus = "1";
  private int workers = 1;
  private int rate = 2000;
  private int phaseSeconds = 10;
  private int rounds = 3;
  private int warmup = 10;
  private String proxyJar = System.getProperty("java.class.path");
  private final List<String> proxyJvmArgs = new ArrayList<>();
  private final List<String> proxyArgs = new ArrayList<>();
  private final String java = ProcessHandle.current().info().command().orElse("java");
  private volatile String attackerLast = "";

  public static void main(String[] args) throws Exception {
    RapidResetUnderLoad run = new RapidResetUnderLoad();
    for (int i = 0; i < args.length; i += 2) {
      String v = args[i + 1];
      switch (args[i]) {
        case "--proxy-cpus" -> run.proxyCpus = v;
        case "--attacker-cpus" -> run.attackerCpus = v;
        case "--workers" -> run.workers = Integer.parseInt(v);
        case "--rate" -> run.rate = Integer.parseInt(v);
        case "--phase" -> run.phaseSeconds = Integer.parseInt(v);
        case "--rounds" -> run.rounds = Integer.parseInt(v);
        case "--warmup" -> run.warmup = Integer.parseInt(v);
        case "--proxy-jar" -> run.proxyJar = v;
        case "--proxy-jvm-arg" -> run.proxyJvmArgs.add(v);
        case "--proxy-arg" -> run.proxyArgs.add(v);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    run.run();
  }

  private void run() throws Exception {
    int port = freePort();
    System.out.printf("proxy cpus %s (%d workers), attacker cpus %s, client pid %d, rate %d/s,"
        + " %d s phases, %d rounds, proxy jar %s%n", proxyCpus, workers, attackerCpus,
        ProcessHandle.current().pid(), rate, phaseSeconds, rounds, proxyJar);
    List<String> cmd = new ArrayList<>(pinned(proxyCpus));
    cmd.addAll(List.of(java, "-Xms512m", "-Xmx512m"));
    cmd.addAll(proxyJvmArgs);
    cmd.addAll(List.of("-cp", proxyJar, RapidResetProxyProcess.class.getName(),
        String.valueOf(port), String.valueOf(workers)));
    cmd.addAll(proxyArgs);
    Process proxy = new ProcessBuilder(cmd)
        .redirectError(new File("/tmp/rapid-reset-proxy.err")).start();
    CountDownLatch ready = new CountDownLatch(1);
    drain(proxy, "proxy", line -> {
      if (line.equals("ready")) {
        ready.countDown();
      }
    });
    try {
      if (!ready.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("proxy not ready, see /tmp/rapid-reset-proxy.err");
      }
      phases(proxy.pid(), port);
    } finally {
      proxy.getOutputStream().close();
      if (!proxy.waitFor(10, TimeUnit.SECONDS)) {
        proxy.destroyForcibly();
      }
    }
  }

  private void phases(long proxyPid, int port) throws Exception {
    List<Phase> base = new ArrayList<>();
    List<Phase> under = new ArrayList<>();
    try (H2cWire client = new H2cWire("127.0.0.1", port)) {
      measure(client, proxyPid, "warm-up", warmup);
      attack(client, proxyPid, port, "warm-up attack", warmup);
      for (int r = 1; r <= rounds; r++) {
        base.add(measure(client, proxyPid, "baseline " + r, phaseSeconds));
        under.add(attack(client, proxyPid, port, "attack " + r, phaseSeconds));
      }
    }
    double b50 = median(base, 50);
    double b99 = median(base, 99);
    double a50 = median(under, 50);
    double a99 = median(under, 99);
    System.out.printf(Locale.ROOT, "median of %d rounds: baseline p50 %.0f us p99 %.0f us;"
        + " attack p50 %.0f us p99 %.0f us; ratio p50 %.2f, p99 %.2f (criterion p99 < 2)%n",
        rounds, b50, b99, a50, a99, a50 / b50, a99 / b99);
    StringBuilder ratios = new StringBuilder();
    for (int r = 0; r < rounds; r++) {
      ratios.append(String.format(Locale.ROOT, " %.2f",
          (double) under.get(r).h.getValueAtPercentile(99)
              / base.get(r).h.getValueAtPercentile(99)));
    }
    System.out.println("p99 ratio per round:" + ratios);
  }

  /** One attack phase: starts the attacker, measures once it runs, kills it. */
  private Phase attack(H2cWire client, long proxyPid, int port, String name, int seconds)
      throws Exception {
    List<String> cmd = new ArrayList<>(pinned(attackerCpus));
    cmd.addAll(List.of(java, "-Xms64m", "-Xmx64m", "-XX:+UseSerialGC", "-cp",
        System.getProperty("java.class.path"), RapidResetAttacker.class.getName(),
        String.valueOf(port), "127.0.0.2"));
    Process attacker = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
    CountDownLatch running = new CountDownLatch(1);
    drain(attacker, "attacker", line -> {
      attackerLast = line;
      running.countDown();
    });
    try {
      running.await(10, TimeUnit.SECONDS);
      String before = attackerLast;
      Phase p = measure(client, proxyPid, name, seconds);
      System.out.printf("  attacker before: %s, after: %s%n", before, attackerLast);
      return p;
    } finally {
      attacker.destroyForcibly();
      attacker.waitFor(10, TimeUnit.SECONDS);
      Thread.sleep(1000); // let the proxy close what the attacker left
    }
  }

  /** Fixed-rate GETs for {@code seconds}, latency from each request's intended send time. */
  private Phase measure(H2cWire client, long proxyPid, String name, int seconds)
      throws IOException {
    Histogram h = new Histogram(HIGHEST_NANOS, 3);
    long interval = TimeUnit.SECONDS.toNanos(1) / rate;
    long cpu = cpuMillis(proxyPid);
    long start = System.nanoTime();
    long end = start + TimeUnit.SECONDS.toNanos(seconds);
    int resets = 0;
    long i = 0;
    for (;; i++) {
      long intended = start + i * interval;
      if (intended >= end || System.nanoTime() >= end) {
        break;
      }
      for (long wait = intended - System.nanoTime(); wait > 0; wait = intended
          - System.nanoTime()) {
        if (wait > 50_000) {
          LockSupport.parkNanos(wait - 50_000);
        } else {
          Thread.onSpinWait();
        }
      }
      if (!client.get("/ok")) {
        resets++;
      }
      h.recordValue(Math.min(HIGHEST_NANOS, System.nanoTime() - intended));
    }
    // Requests the client could not send in time still waited, at least until the phase ended.
    long now = System.nanoTime();
    long unsent = 0;
    for (long intended = start + i * interval; intended < end; intended += interval, unsent++) {
      h.recordValue(Math.min(HIGHEST_NANOS, now - intended));
    }
    long cpuMs = cpuMillis(proxyPid) - cpu;
    long n = h.getTotalCount();
    Phase p = new Phase(h, cpuMs);
    System.out.printf(Locale.ROOT,
        "%-15s %7d requests (%d unsent, %d reset)  p50 %6.0f us  p99 %7.0f us"
            + "  p99.9 %7.0f us  max %8.0f us  proxy CPU %6d ms (%d us/request)%n",
        name, n, unsent,
        resets,
        us(h, 50), us(h, 99), us(h, 99.9), h.getMaxValue() / 1000.0, cpuMs,
        i == 0 ? 0 : cpuMs * 1000 / i);
    return p;
  }

  private record Phase(Histogram h, long proxyCpuMillis) {
  }

  private static double us(Histogram h, double percentile) {
    return h.getValueAtPercentile(percentile) / 1000.0;
  }

  private static double median(List<Phase> phases, double percentile) {
    double[] v = phases.stream().mapToDouble(p -> us(p.h, percentile)).sorted().toArray();
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  /** User + system CPU time of a process, from {@code /proc/PID/stat} (clock ticks of 10 ms). */
  private static long cpuMillis(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10;
  }

  private static List<String> pinned(String cpus) {
    return cpus.isEmpty() ? List.of() : List.of("taskset", "-c", cpus);
  }

  private static void drain(Process p, String name, java.util.function.Consumer<String> onLine) {
    Thread.ofPlatform().daemon().name(name + "-out").start(() -> {
      try (BufferedReader r = new BufferedReader(
          new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          if (!line.startsWith("attack streams")) {
            System.out.println("  [" + name + "] " + line);
          }
          onLine.accept(line);
        }
      } catch (IOException e) {
        // the process ended
      }
    });
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
