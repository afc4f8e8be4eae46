package io.gatehouse.bench;

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
import io.gatehouse.proxy.GatewayProxy;
import io.gatehouse.proxy.ProxyOptions;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * SECURITY.md E2's latency criterion, measured rather than tested: a well-behaved h2c client's p99
 * with and without a concurrent rapid-reset attacker should rise by less than 2×. Starts a
 * {@link GatewayProxy} (default settings) and a {@link LoopbackUpstream} on 127.0.0.1; one client
 * sends sequential GETs on one connection while, in alternate phases, an attacker opens connections
 * and writes HEADERS + RST_STREAM pairs as fast as it can, reconnecting whenever the proxy closes
 * one. Prints each phase's percentiles, the attacker's volume, the process CPU time (client and
 * attacker included: they share the JVM) and the p99 ratios. Runs about
 * {@code 3 + 4 × phaseSeconds} seconds.
 *
 * <p>
 * Usage: {@code java -cp gatehouse-bench.jar io.gatehouse.bench.RapidResetLatency [phaseSeconds]}
 * (default 8). Hold {@code flock /tmp/gatehouse-bench.lock} while it runs.
 *
 * <p>
 * The attacker here shares the JVM and the cores with the proxy and the client is closed-loop;
 * {@link RapidResetUnderLoad} is the honest measurement (separate pinned processes, a fixed-rate
 * client corrected for coordinated omission).
 */
public final class RapidResetLatency {
  private static final int MAX_SAMPLES = 4_000_000;

  private final int port;
  private volatile boolean attacking;
  private volatile boolean stopped;
  private final AtomicLong attackStreams = new AtomicLong();
  private final AtomicLong attackConnections = new AtomicLong();

  private RapidResetLatency(int port) {
    this.port = port;
  }

  public static void main(String[] args) throws Exception {
    int phaseSeconds = args.length > 0 ? Integer.parseInt(args[0]) : 8;
    int port = freePort();
    try (LoopbackUpstream upstream = new LoopbackUpstream()) {
      GatewayProxy proxy = GatewayProxy
          .start(new ProxyOptions(0, 0, Duration.ofSeconds(2), Duration.ofSeconds(1)));
      try {
        apply(proxy, port, upstream.port());
        new RapidResetLatency(port).run(phaseSeconds);
        System.out.printf("upstream requests served: %d%n", upstream.requests.get());
      } finally {
        proxy.close();
      }
    }
  }

  private void run(int phaseSeconds) throws Exception {
    Thread attacker = Thread.ofPlatform().name("attacker").daemon().start(this::attack);
    try (H2cWire client = new H2cWire(port)) {
      measure(client, "warm-up", 3);
      long[][] base = new long[2][];
      long[][] under = new long[2][];
      for (int round = 0; round < 2; round++) {
        base[round] = measure(client, "baseline " + (round + 1), phaseSeconds);
        attacking = true;
        long streams = attackStreams.get();
        long conns = attackConnections.get();
        under[round] = measure(client, "attack " + (round + 1), phaseSeconds);
        attacking = false;
        System.out.printf("  attacker: %d streams opened and reset, %d connections closed%n",
            attackStreams.get() - streams, attackConnections.get() - conns);
      }
      for (int round = 0; round < 2; round++) {
        System.out.printf("round %d: p99 ratio attack/baseline = %.2f%n", round + 1,
            (double) percentile(under[round], 99) / percentile(base[round], 99));
      }
      long[] allBase = concat(base);
      long[] allUnder = concat(under);
      System.out.printf(
          "pooled: baseline p99 %d us, attack p99 %d us, ratio %.2f (criterion < 2)%n",
          percentile(allBase, 99), percentile(allUnder, 99),
          (double) percentile(allUnder, 99) / percentile(allBase, 99));
    } finally {
      stopped = true;
      attacker.join(5000);
    }
  }

  /** Sequential GETs for {@code seconds}; prints and returns the sorted latencies (µs). */
  private long[] measure(H2cWire client, String phase, int seconds) throws IOException {
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory
        .getOperatingSystemMXBean();
    long cpu = os.getProcessCpuTime();
    long[] samples = new long[MAX_SAMPLES];
    int n = 0;
    int resets = 0;
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    for (long t = System.nanoTime(); t < end && n < MAX_SAMPLES; t = System.nanoTime()) {
      if (!client.get("/ok")) {
        resets++;
      }
      samples[n++] = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - t);
    }
    long[] sorted = Arrays.copyOf(samples, n);
    Arrays.sort(sorted);
    long cpuMs = TimeUnit.NANOSECONDS.toMillis(os.getProcessCpuTime() - cpu);
    System.out.printf("%-10s %7d requests (%d reset)  p50 %5d us  p90 %5d us  p99 %6d us"
        + "  max %7d us  process CPU %5d ms (%d us/request)%n", phase, n, resets,
        percentile(sorted, 50), percentile(sorted, 90), percentile(sorted, 99),
        sorted[n - 1], cpuMs, n == 0 ? 0 : cpuMs * 1000 / n);
    return sorted;
  }

  /** The attacker thread: while attacking, rapid-reset connections one after another. */
  private void attack() {
    while (!stopped) {
      if (!attacking) {
        sleep(10);
        continue;
      }
      try (H2cWire w = new H2cWire(port)) {
        while (attacking && !stopped) {
          w.openAndReset("/ok", 500);
          attackStreams.addAndGet(500);
        }
      } catch (IOException closedByProxy) {
        attackConnections.incrementAndGet();
      }
    }
  }

  private static long percentile(long[] sorted, int p) {
    return sorted[Math.min(sorted.length - 1, (int) ((long) sorted.length * p / 100))];
  }

  private static long[] concat(long[][] parts) {
    long[] all = Arrays.copyOf(parts[0], parts[0].length + parts[1].length);
    System.arraycopy(parts[1], 0, all, parts[0].length, parts[1].length);
    Arrays.sort(all);
    return all;
  }

  private static void apply(GatewayProxy proxy, int port, int upstreamPort) {
    Route route = new Route("all", RouteMatch.of(new PathMatch.Prefix("/")), List.of(),
        new Action.Forward(List.of(new WeightedCluster("up", 1)), 0));
    var failures = proxy.apply(1, List.of(new GatewayConfig(new GatewayRef("bench", "rapid"), 1,
        List.of(new HttpListener("bench/rapid/l", "127.0.0.1", port,
            List.of(new VirtualHost(List.of("*"), List.of(route))))),
        Map.of("up", new Cluster("up", List.of(new Endpoint("127.0.0.1", upstreamPort, 1)),
            UpstreamProtocol.HTTP1)))));
    if (!failures.isEmpty()) {
      throw new IllegalStateException("bind failed: " + failures);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
