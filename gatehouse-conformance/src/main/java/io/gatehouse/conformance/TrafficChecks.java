package io.gatehouse.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;

/**
 * The traffic cases of README.md: HTTP round trips with convergence (3 passes in a row within 30 s,
 * 100 ms after a failure), {@code httpFailure}, {@code weightedDistribution},
 * {@code backendHeaderMatchesPod} and {@code websocket} (the whole dial, handshake and exchange
 * converges), the TCP and TLS types ({@link TcpChecks}), the UDP types ({@link UdpChecks}) and the
 * gRPC types ({@link GrpcChecks}: {@code grpc}, {@code grpcFailure}, and
 * {@code weightedDistribution} with a {@code type: grpc} probe). Other types fail as unsupported.
 */
final class TrafficChecks {
  /** Upstream timing (config.DefaultTimeoutConfig); shorter in unit tests. */
  record Timing(Duration maxTimeToConsistency, int requiredSuccesses, Duration requestTimeout,
      Duration retryDelay) {
    static Timing defaults() {
      return new Timing(Duration.ofSeconds(30), 3, Duration.ofSeconds(10), Duration.ofMillis(100));
    }
  }

  /** The request log lines of the pods labelled {@code app=<name>} in a namespace. */
  interface PodLogs {
    List<String> lines(String namespace, String app);
  }

  private final Timing timing;
  private final Function<String, String> generated;
  private final PodLogs logs;

  /**
   * @param generated looks up generated PEMs by {@code Kind/namespace/name/key}
   * @param logs the echo pods' request logs, for mirroring checks
   */
  TrafficChecks(Timing timing, Function<String, String> generated, PodLogs logs) {
    this.timing = timing;
    this.generated = generated;
    this.logs = logs;
  }

  /** Runs one traffic case against the target the supplier resolves; throws on failure. */
  void run(JsonNode c, Supplier<Target> target) throws InterruptedException {
    String type = c.path("type").asText("http");
    switch (type) {
      case "http" -> {
        if (c.has("mirroredTo")) {
          mirrored(c, target);
        } else {
          converge(c, target, this::attempt, "HTTP");
        }
      }
      case "httpFailure" -> httpFailure(c, target);
      case "httpsFailure" -> httpsFailure(c, target);
      case "weightedDistribution" -> {
        if (c.path("probe").path("type").asText("http").equals("grpc")) {
          new GrpcChecks(timing).weighted(c, target);
        } else {
          weighted(c, target);
        }
      }
      case "grpc" -> new GrpcChecks(timing).grpc(c, target);
      case "grpcFailure" -> new GrpcChecks(timing).grpcFailure(c, target);
      case "mirrorDistribution" -> mirrorDistribution(c, target);
      case "backendHeaderMatchesPod" -> backendHeaderMatchesPod(c, target);
      case "websocket" -> converge(c, target, this::webSocket, "websocket");
      case "tcpEcho", "tcpConnect", "tcpEchoAvailable", "tcpBackendSampling",
          "tcpWeightedDistribution", "tlsConnectionRejected" ->
        new TcpChecks(timing, generated).run(type, c, target);
      case "udpEcho", "udpBackendSampling", "udpWeightedDistribution", "dnsQuery" ->
        new UdpChecks(timing.maxTimeToConsistency(), timing.requestTimeout()).run(type, c,
            target);
      default -> throw new AssertionFailure("unsupported traffic case type: " + type);
    }
  }

  private interface Attempt {
    String run(JsonNode c, Target t, Map<String, Integer> podCounts);
  }

  private void converge(JsonNode c, Supplier<Target> target, Attempt attempt, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + timing.maxTimeToConsistency().toNanos();
    int inRow = 0;
    String last = "no attempt";
    int attempts = 0;
    while (System.nanoTime() - deadline < 0) {
      attempts++;
      String problem = attempt.run(c, target.get(), null);
      if (problem == null) {
        if (++inRow >= timing.requiredSuccesses()) {
          return;
        }
        continue;
      }
      inRow = 0;
      last = problem;
      Thread.sleep(timing.retryDelay().toMillis());
    }
    throw new AssertionFailure(what + " " + describe(c) + ": " + last + " (not "
        + timing.requiredSuccesses() + " passes in a row within "
        + timing.maxTimeToConsistency().toSeconds() + " s, " + attempts + " attempts)");
  }

  /**
   * One {@code websocket} attempt: {@code {gatewayAddress}} in the URL is the Gateway's address and
   * listener port (as the Go test builds it); {@code {goTestName}} in the origin is a fixed name,
   * since any origin is accepted.
   */
  private String webSocket(JsonNode c, Target t, Map<String, Integer> podCounts) {
    URI url = URI.create(c.path("url").asText().replace("{gatewayAddress}",
        t.address() + ":" + t.port()));
    String origin = c.path("origin").asText("").replace("{goTestName}", "gatehouse-conformance");
    List<WebSocketExchange.Step> steps = new ArrayList<>();
    for (JsonNode s : c.path("exchange")) {
      steps.add(new WebSocketExchange.Step(s.hasNonNull("sendText")
          ? s.path("sendText").asText()
          : null, bytes(s.path("sendBinary")),
          s.hasNonNull("expectText")
              ? s.path("expectText").asText()
              : null,
          bytes(s.path("expectBinary"))));
    }
    try {
      return WebSocketExchange.run(t.socketAddress(), url, origin,
          c.path("subprotocol").asText(""), steps, timing.requestTimeout());
    } catch (IOException | RuntimeException e) {
      return "websocket " + url + " failed: " + e.getMessage();
    }
  }

  private static byte[] bytes(JsonNode list) {
    if (!list.isArray()) {
      return null;
    }
    byte[] b = new byte[list.size()];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) list.path(i).asInt();
    }
    return b;
  }

  static String describe(JsonNode c) {
    if (c.has("url")) {
      return c.path("url").asText();
    }
    JsonNode req = c.has("probe") ? c.path("probe").path("request") : c.path("request");
    String name = c.hasNonNull("testCaseName") ? c.path("testCaseName").asText() + ": " : "";
    return name + req.path("method").asText("GET") + " "
        + (req.hasNonNull("host") ? req.path("host").asText() : "") + req.path("path").asText("/")
        + (req.path("headers").isEmpty() ? "" : " " + req.path("headers"));
  }

  /** One exchange of an HTTP case; null when it passes. */
  String attempt(JsonNode c, Target t, Map<String, Integer> podCounts) {
    return attempt(c, t, podCounts, false);
  }

  private String attempt(JsonNode c, Target t, Map<String, Integer> podCounts, boolean jitter) {
    JsonNode req = c.path("request");
    String uuid = UUID.randomUUID().toString();
    String path = req.path("path").asText("/").replace("{uuid}", uuid);
    JsonNode exp = c.has("expectedRequest") ? c.path("expectedRequest") : req;
    String expectedPath = exp.path("path").asText(req.path("path").asText("/"))
        .replace("{uuid}", uuid);
    String method = req.path("method").asText("GET");
    String scheme = schemeOf(req, t);
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    if (jitter) {
      headers.add(Map.entry("X-Jitter", Integer.toString(ThreadLocalRandom.current()
          .nextInt(10_000))));
    } else {
      for (Iterator<Map.Entry<String, JsonNode>> it = req.path("headers").fields(); it
          .hasNext();) {
        Map.Entry<String, JsonNode> e = it.next();
        headers.add(Map.entry(e.getKey(), e.getValue().asText()));
      }
    }
    headers.add(Map.entry("X-Echo-Set-Header", echoSetHeader(c)));
    String host = req.hasNonNull("host") ? req.path("host").asText() : t.defaultHost();
    HttpExchange.Response r;
    try {
      HttpExchange.Tls tls = scheme.equals("https") ? tls(c, host) : null;
      String protocol = req.path("protocol").asText("");
      r = send(protocol, t.socketAddress(), tls, method, path, host, headers);
      boolean follow = !req.path("unfollowRedirect").asBoolean(false);
      for (int hop = 0; follow && hop < 10 && isRedirect(r); hop++) {
        URI next = URI.create(scheme + "://" + host + path).resolve(r.header("location").get(0));
        scheme = next.getScheme();
        host = next.getRawAuthority();
        path = next.getRawPath() + (next.getRawQuery() == null ? "" : "?" + next.getRawQuery());
        method = r.status() == 307 || r.status() == 308 ? method : "GET";
        int port = next.getPort() != -1 ? next.getPort() : scheme.equals("https") ? 443 : 80;
        // Redirects stay on loopback: a name is sent to the Gateway's address (no DNS).
        String address = next.getHost().matches("[0-9.]+") ? next.getHost() : t.address();
        InetSocketAddress to = new InetSocketAddress(address, port + t.portOffset());
        r = send(protocol, to, scheme.equals("https") ? tls(c, next.getHost()) : null, method,
            path, host, headers);
      }
    } catch (IOException | RuntimeException | GeneralSecurityException e) {
      return "request failed: " + e;
    }
    String problem = RoundTrip.compare(c, r, path, expectedPath, scheme);
    if (problem == null && podCounts != null) {
      String pod = RoundTrip.captured(r, method).path("pod").asText("");
      synchronized (podCounts) {
        podCounts.merge(Pod.backendOf(pod), 1, Integer::sum);
      }
    }
    return problem;
  }

  private HttpExchange.Response send(String protocol, InetSocketAddress to, HttpExchange.Tls tls,
      String method, String path, String host, List<Map.Entry<String, String>> headers)
      throws IOException {
    boolean h2 = protocol.equals("H2") && tls != null
        || protocol.equals("H2C_PRIOR_KNOWLEDGE") && tls == null;
    return h2
        ? Http2Exchange.send(to, tls, method, path, host, headers, timing.requestTimeout())
        : HttpExchange.send(to, tls, method, path, host, headers, timing.requestTimeout());
  }

  private static boolean isRedirect(HttpExchange.Response r) {
    int s = r.status();
    return (s == 301 || s == 302 || s == 303 || s == 307 || s == 308)
        && !r.header("location").isEmpty();
  }

  private static String schemeOf(JsonNode req, Target t) {
    String protocol = req.path("protocol").asText("");
    if (protocol.equals("HTTPS") || protocol.equals("H2")) {
      return "https";
    }
    if (protocol.equals("HTTP") || protocol.equals("H2C_PRIOR_KNOWLEDGE")) {
      return "http";
    }
    return t.scheme().equals("https") ? "https" : "http";
  }

  private HttpExchange.Tls tls(JsonNode c, String host) throws GeneralSecurityException {
    JsonNode tls = c.path("tls");
    String serverName = tls.hasNonNull("serverName")
        ? tls.path("serverName").asText()
        : host.replaceFirst(":\\d+$", "");
    JsonNode from = tls.path("trustedCertFrom");
    if (from.isMissingNode()) {
      throw new GeneralSecurityException("HTTPS case without tls.trustedCertFrom");
    }
    String ref = from.path("kind").asText() + "/" + from.path("namespace").asText() + "/"
        + from.path("name").asText() + "/" + from.path("key").asText();
    String pem = generated.apply(ref);
    if (pem == null) {
      throw new GeneralSecurityException("no generated certificate " + ref);
    }
    JsonNode client = tls.path("clientCertFrom");
    String certPem = null;
    String keyPem = null;
    if (client.isObject()) {
      String base = client.path("kind").asText() + "/" + client.path("namespace").asText() + "/"
          + client.path("name").asText() + "/";
      certPem = generated.apply(base + "tls.crt");
      keyPem = generated.apply(base + "tls.key");
      if (certPem == null || keyPem == null) {
        throw new GeneralSecurityException("no generated client certificate " + base);
      }
    }
    java.util.concurrent.atomic.AtomicBoolean asked = new java.util.concurrent.atomic.AtomicBoolean();
    SSLContext ctx = TlsTrust.context(pem, certPem, keyPem, asked);
    TlsTrust.HostnameCheck check = TlsTrust.GO_HOSTNAME_CHECK;
    if (tls.path("mustBeAskedForClientCert").asBoolean(false)) {
      check = (session, name) -> {
        TlsTrust.GO_HOSTNAME_CHECK.verify(session, name);
        if (!asked.get()) {
          throw new javax.net.ssl.SSLPeerUnverifiedException(
              "the Gateway did not ask for a client certificate");
        }
      };
    }
    return new HttpExchange.Tls(ctx, serverName, check);
  }

  static String echoSetHeader(JsonNode c) {
    StringBuilder sb = new StringBuilder();
    for (Iterator<Map.Entry<String, JsonNode>> it = c.path("backendSetResponseHeaders").fields(); it
        .hasNext();) {
      Map.Entry<String, JsonNode> e = it.next();
      sb.append(sb.length() == 0 ? "" : ",").append(e.getKey()).append(':')
          .append(e.getValue().asText());
    }
    return sb.toString();
  }

  /**
   * README "Mirroring": a fresh request id in the query of the request and of the expected request,
   * the primary exchange converges, then each mirror backend's log must show the request within
   * {@code RequestTimeout}, polled every second.
   */
  private void mirrored(JsonNode original, Supplier<Target> target) throws InterruptedException {
    com.fasterxml.jackson.databind.node.ObjectNode c = (com.fasterxml.jackson.databind.node.ObjectNode) original
        .deepCopy();
    String param = c.path("addRequestIdQueryParam").asText("gateway-api-conformance-request-id")
        + "=" + UUID.randomUUID();
    String path = withQuery(c.path("request").path("path").asText("/"), param);
    ((com.fasterxml.jackson.databind.node.ObjectNode) c.path("request")).put("path", path);
    if (c.path("expectedRequest").isObject()) {
      ((com.fasterxml.jackson.databind.node.ObjectNode) c.path("expectedRequest")).put("path",
          withQuery(c.path("expectedRequest").path("path").asText("/"), param));
    }
    converge(c, target, this::attempt, "HTTP");
    String line = "Echoing back request made to " + path + " to client";
    for (JsonNode mirror : c.path("mirroredTo")) {
      String ns = mirror.path("namespace").asText();
      String name = mirror.path("name").asText();
      long deadline = System.nanoTime() + timing.requestTimeout().toNanos();
      while (logs.lines(ns, name).stream().noneMatch(l -> l.contains(line))) {
        if (System.nanoTime() - deadline > 0) {
          throw new AssertionFailure("HTTP " + describe(c) + ": the request was not mirrored to "
              + ns + "/" + name + " within " + timing.requestTimeout().toSeconds() + " s");
        }
        Thread.sleep(Math.min(1000, timing.requestTimeout().toMillis() / 4 + 1));
      }
    }
  }

  /**
   * README mirrorDistribution: per attempt a fresh request id; {@code totalRequests} probes
   * ({@code concurrency} at a time, each retried until it passes, at most 10 times); then the
   * mirror backend's log lines for that exact path and query must be within {@code allowedRange}.
   * Up to {@code maxAttempts} attempts, {@code sleepBetweenAttempts} apart.
   */
  private void mirrorDistribution(JsonNode c, Supplier<Target> target)
      throws InterruptedException {
    JsonNode mirror = c.path("mirrorBackend");
    double low = c.path("allowedRange").path(0).asDouble();
    double high = c.path("allowedRange").path(1).asDouble();
    int total = c.path("totalRequests").asInt(500);
    int attempts = c.path("maxAttempts").asInt(5);
    long pause = Duration.parse("PT" + c.path("sleepBetweenAttempts").asText("2s")
        .toUpperCase(java.util.Locale.ROOT)).toMillis();
    String last = "";
    ExecutorService pool = Executors.newFixedThreadPool(c.path("concurrency").asInt(10));
    try {
      for (int attempt = 1; attempt <= attempts; attempt++) {
        com.fasterxml.jackson.databind.node.ObjectNode probe = (com.fasterxml.jackson.databind.node.ObjectNode) c
            .path("probe").deepCopy();
        String param = "gateway-api-conformance-request-id=" + UUID.randomUUID();
        String path = withQuery(probe.path("request").path("path").asText("/"), param);
        ((com.fasterxml.jackson.databind.node.ObjectNode) probe.path("request")).put("path", path);
        if (probe.path("expectedRequest").isObject()) {
          ((com.fasterxml.jackson.databind.node.ObjectNode) probe.path("expectedRequest"))
              .put("path", withQuery(probe.path("expectedRequest").path("path").asText("/"),
                  param));
        }
        Target t = target.get();
        List<Future<String>> results = new ArrayList<>();
        for (int i = 0; i < total; i++) {
          results.add(pool.submit(() -> {
            String problem = null;
            for (int tries = 0; tries < 10; tries++) {
              problem = attempt(probe, t, null);
              if (problem == null) {
                return null;
              }
              Thread.sleep(timing.retryDelay().toMillis());
            }
            return problem;
          }));
        }
        String error = null;
        for (Future<String> f : results) {
          try {
            error = error == null ? f.get() : error;
          } catch (java.util.concurrent.ExecutionException e) {
            error = "probe crashed: " + e.getCause();
          }
        }
        if (error != null) {
          throw new AssertionFailure("mirrorDistribution " + describe(c) + ": " + error);
        }
        Thread.sleep(1000); // mirrors are fire-and-forget: let the last ones land
        String line = "Echoing back request made to " + path + " to client";
        long count = logs.lines(mirror.path("namespace").asText(), mirror.path("name").asText())
            .stream().filter(l -> l.contains(line)).count();
        if (count >= low && count <= high) {
          return;
        }
        last = count + " of " + total + " requests mirrored to " + mirror.path("name").asText()
            + ", expected " + low + ".." + high;
        Thread.sleep(pause);
      }
    } finally {
      pool.shutdownNow();
    }
    throw new AssertionFailure("mirrorDistribution " + describe(c) + ": " + last + " (after "
        + attempts + " attempts)");
  }

  /**
   * {@code backendHeaderMatchesPod}: the {@code probe} converges first; then {@code samples} (100)
   * single exchanges, one after another, without retry: each captured request must carry exactly
   * one value of {@code header} ({@code Backend}), and the answering pod's name must start with it.
   * The status of a sample is not checked (Go {@code CaptureRoundTrip}); a gateway answer captures
   * no headers and so fails.
   */
  private void backendHeaderMatchesPod(JsonNode c, Supplier<Target> target)
      throws InterruptedException {
    JsonNode probe = c.path("probe");
    converge(probe, target, this::attempt, "backendHeaderMatchesPod probe");
    String header = c.path("header").asText("Backend");
    int samples = c.path("samples").asInt(100);
    JsonNode req = probe.path("request");
    String method = req.path("method").asText("GET");
    String path = req.path("path").asText("/");
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    req.path("headers").fields()
        .forEachRemaining(e -> headers.add(Map.entry(e.getKey(), e.getValue().asText())));
    headers.add(Map.entry("X-Echo-Set-Header", echoSetHeader(probe)));
    for (int i = 1; i <= samples; i++) {
      Target t = target.get();
      String host = req.hasNonNull("host") ? req.path("host").asText() : t.defaultHost();
      JsonNode captured;
      try {
        HttpExchange.Tls tls = schemeOf(req, t).equals("https") ? tls(probe, host) : null;
        captured = RoundTrip.captured(send(req.path("protocol").asText(""), t.socketAddress(), tls,
            method, path, host, headers), method);
      } catch (IOException | RuntimeException | GeneralSecurityException e) {
        throw new AssertionFailure("backendHeaderMatchesPod " + describe(c) + ": sample " + i
            + " failed: " + e);
      }
      List<String> values = RoundTrip.values(captured.path("headers"), header);
      String pod = captured.path("pod").asText("");
      if (values == null || values.size() != 1) {
        throw new AssertionFailure("backendHeaderMatchesPod " + describe(c) + ": sample " + i
            + " expected a single " + header + " header, got "
            + (values == null ? 0 : values.size()) + " " + captured.path("headers"));
      }
      if (!pod.startsWith(values.get(0))) {
        throw new AssertionFailure("backendHeaderMatchesPod " + describe(c) + ": sample " + i
            + " was answered by pod '" + pod + "' but carries " + header + ": " + values.get(0));
      }
    }
  }

  static String withQuery(String path, String param) {
    return path + (path.contains("?") ? "&" : "?") + param;
  }

  private void httpFailure(JsonNode c, Supplier<Target> target) throws InterruptedException {
    converge(c, target, (cc, t, counts) -> {
      JsonNode req = cc.path("request");
      try {
        String host = req.hasNonNull("host") ? req.path("host").asText() : t.defaultHost();
        HttpExchange.Response r = HttpExchange.send(t.socketAddress(), null,
            req.path("method").asText("GET"), req.path("path").asText("/"), host,
            List.of(Map.entry("X-Echo-Set-Header", "")), timing.requestTimeout());
        if (r.status() == 200) {
          throw new AssertionFailure("httpFailure " + describe(cc) + ": got 200");
        }
        return r.status() == 408 || r.status() == 504 ? "got " + r.status() : null;
      } catch (IOException e) {
        return "transport error: " + e;
      }
    }, "httpFailure");
  }

  /** README httpsFailure: 3 transport-level failures in a row; any HTTP response is "not yet". */
  private void httpsFailure(JsonNode c, Supplier<Target> target) throws InterruptedException {
    converge(c, target, (cc, t, counts) -> {
      JsonNode req = cc.path("request");
      String host = req.hasNonNull("host") ? req.path("host").asText() : t.defaultHost();
      try {
        HttpExchange.Response r = HttpExchange.send(t.socketAddress(), tls(cc, host),
            req.path("method").asText("GET"), req.path("path").asText("/"), host,
            List.of(Map.entry("X-Echo-Set-Header", "")), timing.requestTimeout());
        return "got an HTTP response " + r.status() + ", expected a TLS/transport failure";
      } catch (IOException e) {
        return null;
      } catch (GeneralSecurityException e) {
        throw new AssertionFailure("httpsFailure " + describe(cc) + ": " + e.getMessage());
      }
    }, "httpsFailure");
  }

  private void weighted(JsonNode c, Supplier<Target> target) throws InterruptedException {
    JsonNode probe = c.path("probe");
    converge(probe, target, this::attempt, "weightedDistribution probe");
    Map<String, Double> weights = new HashMap<>();
    c.path("expectedWeights").fields()
        .forEachRemaining(e -> weights.put(e.getKey(), e.getValue().asDouble()));
    int total = c.path("totalRequests").asInt(500);
    int concurrency = c.path("concurrency").asInt(10);
    double tolerance = c.path("tolerance").asDouble(0.05);
    int maxAttempts = c.path("maxAttempts").asInt(10);
    boolean entropy = c.hasNonNull("entropy");
    String last = "";
    ExecutorService pool = Executors.newFixedThreadPool(concurrency);
    try {
      for (int attempt = 1; attempt <= maxAttempts; attempt++) {
        Map<String, Integer> counts = new HashMap<>();
        Target t = target.get();
        List<Future<String>> results = new ArrayList<>();
        for (int i = 0; i < total; i++) {
          boolean jitter = entropy && ThreadLocalRandom.current().nextBoolean();
          results.add(pool.submit(() -> attempt(probe, t, counts, jitter)));
        }
        String error = null;
        for (Future<String> f : results) {
          try {
            String p = f.get();
            error = error == null ? p : error;
          } catch (java.util.concurrent.ExecutionException e) {
            error = "probe crashed: " + e.getCause();
          }
        }
        last = error != null
            ? "a request failed: " + error
            : distributionProblem(counts, weights,
                total, tolerance);
        if (last == null) {
          return;
        }
      }
    } finally {
      pool.shutdownNow();
    }
    throw new AssertionFailure("weightedDistribution " + describe(c) + ": " + last + " (after "
        + maxAttempts + " attempts)");
  }

  /** Null when the observed counts fit the weights (README.md weightedDistribution). */
  static String distributionProblem(Map<String, Integer> counts, Map<String, Double> weights,
      int total, double tolerance) {
    for (Map.Entry<String, Double> w : weights.entrySet()) {
      int n = counts.getOrDefault(w.getKey(), 0);
      if (w.getValue() == 0 && n > 0) {
        return "backend " + w.getKey() + " has weight 0 but got " + n + " requests " + counts;
      }
      if (w.getValue() > 0 && n == 0) {
        return "backend " + w.getKey() + " got no requests " + counts;
      }
      double share = (double) n / total;
      if (Math.abs(share - w.getValue()) > tolerance) {
        return String.format("backend %s got %.3f of the requests, expected %.2f ± %.2f %s",
            w.getKey(), share, w.getValue(), tolerance, counts);
      }
    }
    for (String seen : counts.keySet()) {
      if (!weights.containsKey(seen)) {
        return "unexpected backend " + seen + " " + counts;
      }
    }
    return null;
  }
}
