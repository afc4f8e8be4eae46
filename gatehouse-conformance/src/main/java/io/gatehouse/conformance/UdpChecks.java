package io.gatehouse.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * The UDP traffic cases of README.md ("TCP and UDP cases"): {@code udpEcho},
 * {@code udpBackendSampling}, {@code udpWeightedDistribution} and {@code dnsQuery}. Every probe
 * uses a new connected UDP socket (so a new source port, and the kernel drops datagrams from any
 * address but the target). None of them needs consecutive successes: a polling check passes on its
 * first passing attempt.
 */
final class UdpChecks {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration POLL = Duration.ofMillis(100);

  private final Duration maxTimeToConsistency;
  private final Duration requestTimeout;

  UdpChecks(Duration maxTimeToConsistency, Duration requestTimeout) {
    this.maxTimeToConsistency = maxTimeToConsistency;
    this.requestTimeout = requestTimeout;
  }

  void run(String type, JsonNode c, Supplier<Target> target) throws InterruptedException {
    switch (type) {
      case "udpEcho" -> udpEcho(c, target);
      case "udpBackendSampling" -> backendSampling(c, target);
      case "udpWeightedDistribution" -> weighted(c, target);
      case "dnsQuery" -> dnsQuery(c, target);
      default -> throw new AssertionFailure("unsupported traffic case type: " + type);
    }
  }

  /** {@code udpEcho}: poll every 100 ms for up to 30 s; the first passing attempt passes. */
  private void udpEcho(JsonNode c, Supplier<Target> target) throws InterruptedException {
    byte[] payload = c.path("payload").asText().getBytes(StandardCharsets.UTF_8);
    JsonNode expect = c.path("expect");
    String last = "no attempt";
    long deadline = System.nanoTime() + maxTimeToConsistency.toNanos();
    do {
      last = echoAttempt(target.get(), payload, expect);
      if (last == null) {
        return;
      }
      Thread.sleep(POLL.toMillis());
    } while (System.nanoTime() - deadline < 0);
    throw new AssertionFailure("udpEcho: " + last + " (no passing attempt within "
        + maxTimeToConsistency.toSeconds() + " s)");
  }

  private String echoAttempt(Target t, byte[] payload, JsonNode expect) {
    byte[] reply;
    try {
      reply = exchange(t, payload, requestTimeout, 1024);
    } catch (IOException e) {
      return "UDP echo to " + t.socketAddress() + " failed: " + e;
    }
    if (expect.path("anyReply").asBoolean(false)) {
      return null;
    }
    JsonNode json;
    try {
      json = JSON.readTree(reply);
    } catch (IOException e) {
      return "reply is not JSON: " + new String(reply, StandardCharsets.UTF_8);
    }
    for (String field : List.of("service", "namespace")) {
      if (expect.has(field) && !expect.path(field).asText().equals(json.path(field).asText())) {
        return field + " is \"" + json.path(field).asText() + "\", expected \""
            + expect.path(field).asText() + "\"";
      }
    }
    return null;
  }

  /**
   * {@code udpBackendSampling}: rounds of {@code probesPerRound} probes, one after another; a
   * failed probe ends the round as "not yet"; a probe answered by another backend fails at once.
   */
  private void backendSampling(JsonNode c, Supplier<Target> target) throws InterruptedException {
    byte[] payload = c.path("payload").asText().getBytes(StandardCharsets.UTF_8);
    int perRound = c.path("probesPerRound").asInt(20);
    Duration probeTimeout = duration(c.path("probeTimeout"), Duration.ofSeconds(2));
    Duration poll = duration(c.path("pollInterval"), Duration.ofSeconds(1));
    Duration timeout = duration(c.path("timeout"), Duration.ofSeconds(60));
    String expected = c.path("expectBackend").asText();
    String last = "no round";
    long deadline = System.nanoTime() + timeout.toNanos();
    do {
      last = samplingRound(target.get(), payload, perRound, probeTimeout, expected);
      if (last == null) {
        return;
      }
      Thread.sleep(poll.toMillis());
    } while (System.nanoTime() - deadline < 0);
    throw new AssertionFailure("udpBackendSampling: " + last + " (no passing round within "
        + timeout.toSeconds() + " s)");
  }

  private String samplingRound(Target t, byte[] payload, int probes, Duration timeout,
      String expected) {
    for (int i = 0; i < probes; i++) {
      String pod;
      try {
        pod = probe(t, payload, timeout);
      } catch (IOException e) {
        return "probe " + (i + 1) + " failed: " + e.getMessage();
      }
      if (!Pod.backendOf(pod).equals(expected)) {
        throw new AssertionFailure("udpBackendSampling: datagram answered by pod " + pod
            + " of backend " + Pod.backendOf(pod) + ", expected only " + expected);
      }
    }
    return null;
  }

  /** {@code udpWeightedDistribution}: {@code before}, then whole batches of new flows. */
  private void weighted(JsonNode c, Supplier<Target> target) throws InterruptedException {
    for (JsonNode b : c.path("before")) {
      run(b.path("type").asText(), b, target);
    }
    byte[] payload = c.path("payload").asText().getBytes(StandardCharsets.UTF_8);
    Duration sendTimeout = duration(c.path("sendTimeout"), Duration.ofSeconds(2));
    int total = c.path("totalRequests").asInt(500);
    int concurrency = c.path("concurrency").asInt(10);
    double tolerance = c.path("tolerance").asDouble(0.05);
    int maxAttempts = c.path("maxAttempts").asInt(10);
    Map<String, Double> weights = new TreeMap<>();
    c.path("expectedWeights").fields()
        .forEachRemaining(e -> weights.put(e.getKey(), e.getValue().asDouble()));
    String last = "no attempt";
    for (int attempt = 1; attempt <= maxAttempts; attempt++) {
      last = distributionAttempt(target.get(), payload, sendTimeout, total, concurrency,
          tolerance, weights);
      if (last == null) {
        return;
      }
    }
    throw new AssertionFailure("udpWeightedDistribution: " + last + " (" + maxAttempts
        + " attempts)");
  }

  private String distributionAttempt(Target t, byte[] payload, Duration timeout, int total,
      int concurrency, double tolerance, Map<String, Double> weights)
      throws InterruptedException {
    ExecutorService pool = Executors.newFixedThreadPool(concurrency);
    try {
      List<Future<String>> probes = new ArrayList<>();
      for (int i = 0; i < total; i++) {
        probes.add(pool.submit(() -> probe(t, payload, timeout)));
      }
      Map<String, Integer> counts = new HashMap<>();
      for (Future<String> f : probes) {
        String backend;
        try {
          backend = Pod.backendOf(f.get());
        } catch (ExecutionException e) {
          return "a probe failed: " + e.getCause().getMessage();
        }
        if (!weights.containsKey(backend)) {
          return "unexpected backend " + backend;
        }
        counts.merge(backend, 1, Integer::sum);
      }
      for (Map.Entry<String, Double> w : weights.entrySet()) {
        int n = counts.getOrDefault(w.getKey(), 0);
        if (w.getValue() <= 0 && n > 0) {
          return "backend " + w.getKey() + " has weight 0 but got " + n + " flows " + counts;
        }
        if (w.getValue() > 0 && n == 0) {
          return "backend " + w.getKey() + " got no flow " + counts;
        }
        double share = n / (double) total;
        if (Math.abs(share - w.getValue()) > tolerance) {
          return String.format(Locale.ROOT, "backend %s got %.3f of the flows, expected %.2f"
              + " ± %.2f %s", w.getKey(), share, w.getValue(), tolerance, counts);
        }
      }
      return null;
    } finally {
      pool.shutdownNow();
    }
  }

  /** {@code dnsQuery}: poll every {@code pollInterval} for up to {@code timeout}. */
  private void dnsQuery(JsonNode c, Supplier<Target> target) throws InterruptedException {
    Duration attemptTimeout = duration(c.path("attemptTimeout"), Duration.ofSeconds(2));
    int readBuffer = c.path("readBufferBytes").asInt(512);
    Duration poll = duration(c.path("pollInterval"), Duration.ofSeconds(1));
    Duration timeout = duration(c.path("timeout"), Duration.ofSeconds(60));
    JsonNode q = c.path("query");
    String last = "no attempt";
    long deadline = System.nanoTime() + timeout.toNanos();
    do {
      int id = ThreadLocalRandom.current().nextInt(1 << 16);
      last = dnsAttempt(target.get(), DnsMessages.query(id, q.path("name").asText("foo.bar.com."),
          DnsMessages.type(q.path("qtype").asText("A")),
          q.path("recursionDesired").asBoolean(true)),
          id, attemptTimeout, readBuffer);
      if (last == null) {
        return;
      }
      Thread.sleep(poll.toMillis());
    } while (System.nanoTime() - deadline < 0);
    throw new AssertionFailure("dnsQuery: " + last + " (no passing attempt within "
        + timeout.toSeconds() + " s)");
  }

  /**
   * One exchange like miekg/dns {@code Exchange}: read until the deadline; a datagram that is not a
   * complete DNS message fails the attempt, one with another ID is skipped.
   */
  private static String dnsAttempt(Target t, byte[] query, int id, Duration timeout,
      int readBuffer) {
    try (DatagramSocket s = new DatagramSocket()) {
      s.connect(t.socketAddress());
      s.send(new DatagramPacket(query, query.length));
      long deadline = System.nanoTime() + timeout.toNanos();
      byte[] buf = new byte[readBuffer];
      while (true) {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
          return "no DNS reply with ID " + id + " within " + timeout.toMillis() + " ms";
        }
        s.setSoTimeout((int) left);
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        s.receive(p);
        String problem = DnsMessages.wellFormed(buf, p.getLength());
        if (problem != null) {
          return "malformed DNS reply: " + problem;
        }
        if (DnsMessages.id(buf) == id) {
          return null;
        }
      }
    } catch (SocketTimeoutException e) {
      return "no DNS reply with ID " + id + " within " + timeout.toMillis() + " ms";
    } catch (IOException e) {
      return "DNS exchange with " + t.socketAddress() + " failed: " + e;
    }
  }

  /** UDP echo once: the answering pod, non-empty. */
  private static String probe(Target t, byte[] payload, Duration timeout) throws IOException {
    byte[] reply = exchange(t, payload, timeout, 4096);
    String pod = JSON.readTree(reply).path("pod").asText("");
    if (pod.isEmpty()) {
      throw new IOException("reply without pod: " + new String(reply, StandardCharsets.UTF_8));
    }
    return pod;
  }

  /** New connected socket, one datagram out, one datagram in (cut to {@code buffer} bytes). */
  private static byte[] exchange(Target t, byte[] payload, Duration timeout, int buffer)
      throws IOException {
    try (DatagramSocket s = new DatagramSocket()) {
      s.connect(t.socketAddress());
      s.setSoTimeout((int) Math.max(1, timeout.toMillis()));
      s.send(new DatagramPacket(payload, payload.length));
      byte[] buf = new byte[buffer];
      DatagramPacket p = new DatagramPacket(buf, buf.length);
      s.receive(p);
      return java.util.Arrays.copyOf(buf, p.getLength());
    }
  }

  static Duration duration(JsonNode node, Duration fallback) {
    if (!node.isTextual()) {
      return fallback;
    }
    String text = node.asText().trim().toLowerCase(Locale.ROOT);
    if (text.endsWith("ms")) {
      return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
    }
    return Duration.parse("PT" + text.toUpperCase(Locale.ROOT));
  }
}
