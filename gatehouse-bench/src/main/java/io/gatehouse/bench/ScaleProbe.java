package io.gatehouse.bench;

import io.gatehouse.proxy.ProxyOptions;
import io.gatehouse.standalone.StandaloneGateway;
import io.gatehouse.standalone.StandaloneOptions;
import io.gatehouse.standalone.file.FileSource;
import io.gatehouse.translator.ResourceSnapshot;
import io.gatehouse.translator.Translator;
import io.gatehouse.translator.TranslatorOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One measurement of {@link ScaleCheck}, run in its own JVM so that its memory figures are its own:
 * starts the standalone gateway on a directory written by {@link ScaleManifests}, asks the last
 * route for a response over loopback, then reports memory, and finally times translations of the
 * same directory. Prints one {@code result.<key>=<value>} line per figure.
 */
final class ScaleProbe {
  private static final long POLL_MILLIS = 5;

  private final Path dir;
  private final int routes;
  private final int port;
  private final long deadlineNanos;
  private final Map<String, String> results = new LinkedHashMap<>();

  private final long idleMillis;

  ScaleProbe(Path dir, int routes, int port, long timeoutSeconds, long idleMillis) {
    this.idleMillis = idleMillis;
    this.dir = dir;
    this.routes = routes;
    this.port = port;
    this.deadlineNanos = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
  }

  /**
   * Starts the gateway, asks the last route for a response (the time to first byte counts from the
   * start of this method), lets the gateway idle and reads its memory, stops it; the translation
   * timings come last, so that their garbage is not counted.
   */
  Map<String, String> run(int translations) throws Exception {
    long t0 = System.nanoTime();
    results.put("jvm_start_to_main_ms", String.valueOf(
        System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime()));
    StandaloneOptions options = StandaloneOptions.defaults(dir).withAdminPort(0)
        .withAdminAddress("127.0.0.1").withDebounce(java.time.Duration.ofMillis(50))
        .withProxy(ProxyOptions.defaults().withWorkerThreads(1));
    try (StandaloneGateway gateway = new StandaloneGateway(options)) {
      gateway.start();
      long started = System.nanoTime();
      results.put("start_ms", millis(started - t0));
      int last = routes - 1;
      String status = firstResponse(ScaleManifests.hostname(last), ScaleManifests.apiPath(last));
      results.put("first_byte_ms", millis(System.nanoTime() - t0));
      results.put("first_status", status);
      results.put("generation", String.valueOf(gateway.appliedGeneration()));
      Thread.sleep(idleMillis); // idle: time for a look with jcmd or pmap
      memory("idle");
    }
    translations(translations);
    return results;
  }

  /** Heap after a full GC, non-heap, RSS and PSS. */
  private void memory(String when) {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    var mem = ManagementFactory.getMemoryMXBean();
    results.put(when + "_heap_used_mib", mib(mem.getHeapMemoryUsage().getUsed()));
    results.put(when + "_heap_committed_mib", mib(mem.getHeapMemoryUsage().getCommitted()));
    results.put(when + "_nonheap_used_mib", mib(mem.getNonHeapMemoryUsage().getUsed()));
    results.put(when + "_rss_mib", mib(procKib("/proc/self/status", "VmRSS:") * 1024));
    results.put(when + "_pss_mib", mib(procKib("/proc/self/smaps_rollup", "Pss:") * 1024));
  }

  /**
   * Sends {@code GET path} with {@code Host: host} until the proxy answers something other than 404
   * (the route not yet applied) or the deadline passes; returns the status line.
   */
  private String firstResponse(String host, String path) throws IOException,
      InterruptedException {
    String request = "GET " + path + " HTTP/1.1\r\nHost: " + host
        + "\r\nConnection: close\r\n\r\n";
    String status = "none";
    while (System.nanoTime() < deadlineNanos) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
        s.setSoTimeout(5000);
        OutputStream out = s.getOutputStream();
        out.write(request.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        status = statusLine(s.getInputStream());
        if (status.startsWith("HTTP/1.1 200")) {
          return status;
        }
      } catch (IOException e) {
        status = e.toString();
      }
      Thread.sleep(POLL_MILLIS);
    }
    throw new IOException("no 200 from the last route before the deadline; last: " + status);
  }

  private static String statusLine(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (int b = in.read(); b >= 0 && b != '\r' && b != '\n'; b = in.read()) {
      sb.append((char) b);
    }
    return sb.toString();
  }

  /** Loads the directory once, then times {@code count} translations of it. */
  private void translations(int count) {
    if (count <= 0) {
      return;
    }
    long t0 = System.nanoTime();
    ResourceSnapshot snapshot = FileSource.loadOnce(dir).resources();
    results.put("load_ms", millis(System.nanoTime() - t0));
    Translator translator = new Translator(TranslatorOptions.defaults());
    long gcBefore = gcMillis();
    long[] times = new long[count];
    for (int i = 0; i < count; i++) {
      long t = System.nanoTime();
      translator.translate(snapshot);
      times[i] = System.nanoTime() - t;
    }
    results.put("translate_gc_total_ms", String.valueOf(gcMillis() - gcBefore));
    results.put("translate_first_ms", millis(times[0]));
    long[] sorted = times.clone();
    Arrays.sort(sorted);
    results.put("translate_min_ms", millis(sorted[0]));
    results.put("translate_median_ms", millis(sorted[count / 2]));
    results.put("translate_all_ms", Arrays.stream(times).mapToObj(ScaleProbe::millis)
        .collect(Collectors.joining(",")));
  }

  /** Time spent in garbage collection so far, all collectors. */
  private static long gcMillis() {
    return ManagementFactory.getGarbageCollectorMXBeans().stream()
        .mapToLong(b -> Math.max(0, b.getCollectionTime())).sum();
  }

  static long procKib(String file, String key) {
    try {
      for (String line : Files.readAllLines(Path.of(file))) {
        if (line.startsWith(key)) {
          return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }

  private static String millis(long nanos) {
    return String.format(java.util.Locale.ROOT, "%.1f", nanos / 1e6);
  }

  private static String mib(long bytes) {
    return bytes < 0 ? "n/a" : String.format(java.util.Locale.ROOT, "%.1f", bytes / 1048576.0);
  }

  /** Child entry point: {@code DIR ROUTES PORT TIMEOUT_SECONDS TRANSLATIONS IDLE_MILLIS}. */
  static void main(String[] args, PrintStream out) throws Exception {
    ScaleProbe probe = new ScaleProbe(Path.of(args[0]), Integer.parseInt(args[1]),
        Integer.parseInt(args[2]), Long.parseLong(args[3]), Long.parseLong(args[5]));
    Map<String, String> results = probe.run(Integer.parseInt(args[4]));
    results.put("jvm_flags", String.join(" ",
        ManagementFactory.getRuntimeMXBean().getInputArguments()));
    results.put("gc", ManagementFactory.getGarbageCollectorMXBeans().stream()
        .map(b -> b.getName()).collect(Collectors.joining(",")));
    results.put("java", System.getProperty("java.vm.name") + " "
        + System.getProperty("java.runtime.version"));
    results.forEach((k, v) -> out.println("result." + k + "=" + v));
    out.flush();
  }
}
