package io.gatehouse.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The TCP and TLS traffic cases of README.md ("TLS / TCP cases", "TCP and UDP cases"):
 * {@code tcpEcho} (plain or with {@code clientTLS}), {@code tcpConnect}, {@code tcpEchoAvailable},
 * {@code tcpBackendSampling}, {@code tcpWeightedDistribution} and {@code tlsConnectionRejected}.
 * None of them needs consecutive successes: a polling check passes on its first passing attempt.
 */
final class TcpChecks {
  static final String WELCOME = "Gateway API Test TCP Server\n";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final TrafficChecks.Timing timing;
  private final Function<String, String> generated;

  TcpChecks(TrafficChecks.Timing timing, Function<String, String> generated) {
    this.timing = timing;
    this.generated = generated;
  }

  /** Runs one TCP or TLS traffic case of type {@code type}; throws on failure. */
  void run(String type, JsonNode c, Supplier<Target> target) throws InterruptedException {
    switch (type) {
      case "tcpEcho" -> tcpEcho(c, target);
      case "tcpConnect" -> poll(target, "tcpConnect", t -> {
        try (Socket s = new Socket()) {
          s.connect(t.socketAddress(), (int) timing.requestTimeout().toMillis());
        }
        return null;
      });
      case "tcpEchoAvailable" -> poll(target, "tcpEchoAvailable",
          t -> echoOnce(t, timing.requestTimeout()));
      case "tcpBackendSampling" -> backendSampling(c, target);
      case "tcpWeightedDistribution" -> weighted(c, target);
      case "tlsConnectionRejected" -> tlsRejected(c, target);
      default -> throw new AssertionFailure("unsupported traffic case type: " + type);
    }
  }

  private interface Probe {
    /** Returns when done (the result is not used); throws to try again. */
    Object attempt(Target t) throws IOException, GeneralSecurityException;
  }

  /** Every retry delay (100 ms) until {@code probe} succeeds, within MaxTimeToConsistency. */
  private void poll(Supplier<Target> target, String what, Probe probe)
      throws InterruptedException {
    long deadline = System.nanoTime() + timing.maxTimeToConsistency().toNanos();
    String last = "no attempt";
    while (System.nanoTime() - deadline < 0) {
      try {
        probe.attempt(target.get());
        return;
      } catch (IOException | GeneralSecurityException e) {
        last = e.toString();
      }
      Thread.sleep(timing.retryDelay().toMillis());
    }
    throw new AssertionFailure(what + ": " + last + " (not within "
        + timing.maxTimeToConsistency().toSeconds() + " s)");
  }

  /**
   * The {@code tcpEcho} check: retried on dial, read and JSON errors only; the first complete
   * exchange decides.
   */
  private void tcpEcho(JsonNode c, Supplier<Target> target) throws InterruptedException {
    String[] verdict = new String[1];
    poll(target, "tcpEcho", t -> {
      verdict[0] = echoExchange(c, t);
      return null;
    });
    if (verdict[0] != null) {
      throw new AssertionFailure("tcpEcho: " + verdict[0]);
    }
  }

  /** One full exchange: null when every answer is as expected, else what differs. */
  private String echoExchange(JsonNode c, Target t) throws IOException, GeneralSecurityException {
    JsonNode expect = c.path("expect");
    try (Socket s = open(t, c.path("clientTLS"), timing.requestTimeout())) {
      BufferedReader in = reader(s);
      OutputStream out = s.getOutputStream();
      String welcome = line(in);
      if (!welcome.equals(expect.path("welcome").asText(WELCOME))) {
        return "welcome line " + quote(welcome);
      }
      String pong = ask(out, in, "PING");
      if (!pong.equals("PONG\n")) {
        return "PING answered " + quote(pong);
      }
      String isTls = ask(out, in, "IS_TLS");
      String expectedTls = expect.path("isTLS").asBoolean(false) + "\n";
      if (!isTls.equals(expectedTls)) {
        return "IS_TLS answered " + quote(isTls) + ", expected " + quote(expectedTls);
      }
      JsonNode json = JSON.readTree(ask(out, in, "TEST"));
      String ns = json.path("namespace").asText();
      if (!ns.equals(expect.path("namespace").asText())) {
        return "namespace " + quote(ns) + ", expected " + quote(expect.path("namespace").asText());
      }
      String pod = json.path("pod").asText();
      if (!pod.startsWith(expect.path("podPrefix").asText())) {
        return "pod " + quote(pod) + " does not start with " + expect.path("podPrefix");
      }
      if (expect.hasNonNull("tlsServerName")) {
        String sni = json.path("tls").path("serverName").asText();
        if (!sni.equals(expect.path("tlsServerName").asText())) {
          return "backend saw server name " + quote(sni) + ", expected "
              + expect.path("tlsServerName");
        }
      }
      return null;
    }
  }

  /** One TCP echo once probe (plain TCP): the answering pod; throws on any failure. */
  private String echoOnce(Target t, Duration timeout) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(t.socketAddress(), (int) timeout.toMillis());
      s.setSoTimeout((int) timeout.toMillis());
      BufferedReader in = reader(s);
      String welcome = line(in);
      if (!welcome.equals(WELCOME)) {
        throw new IOException("welcome line " + quote(welcome));
      }
      JsonNode json = JSON.readTree(ask(s.getOutputStream(), in, "TEST"));
      String pod = json.path("pod").asText();
      if (pod.isEmpty()) {
        throw new IOException("TEST answer without pod");
      }
      return pod;
    }
  }

  private void backendSampling(JsonNode c, Supplier<Target> target) throws InterruptedException {
    tcpEcho(c.path("probe"), target);
    Duration timeout = duration(c.path("sampleTimeout"), Duration.ofSeconds(5));
    String forbidden = c.path("forbiddenPodPrefix").asText("");
    String prefix = c.path("podPrefix").asText("");
    int samples = c.path("samples").asInt(100);
    for (int i = 0; i < samples; i++) {
      String pod;
      try {
        pod = echoOnce(target.get(), timeout);
      } catch (IOException e) {
        throw new AssertionFailure("tcpBackendSampling: sample " + i + " failed: " + e);
      }
      if (!forbidden.isEmpty() && pod.startsWith(forbidden) || !pod.startsWith(prefix)) {
        throw new AssertionFailure("tcpBackendSampling: sample " + i + " answered by " + pod);
      }
    }
  }

  private void weighted(JsonNode c, Supplier<Target> target) throws InterruptedException {
    for (JsonNode before : c.path("before")) {
      run(before.path("type").asText(), before, target);
    }
    Map<String, Double> expected = new HashMap<>();
    c.path("expectedWeights").fields()
        .forEachRemaining(e -> expected.put(e.getKey(), e.getValue().asDouble()));
    int total = c.path("totalRequests").asInt(500);
    double tolerance = c.path("tolerance").asDouble(0.05);
    Duration timeout = duration(c.path("sendTimeout"), timing.requestTimeout());
    String last = "no attempt";
    ExecutorService pool = Executors.newFixedThreadPool(c.path("concurrency").asInt(10));
    try {
      for (int attempt = 0; attempt < c.path("maxAttempts").asInt(10); attempt++) {
        last = distribution(target.get(), total, timeout, expected, tolerance, pool);
        if (last == null) {
          return;
        }
      }
    } finally {
      pool.shutdownNow();
    }
    throw new AssertionFailure("tcpWeightedDistribution: " + last);
  }

  private String distribution(Target t, int total, Duration timeout,
      Map<String, Double> expected, double tolerance, ExecutorService pool)
      throws InterruptedException {
    List<Future<String>> pods = new ArrayList<>();
    for (int i = 0; i < total; i++) {
      pods.add(pool.submit(() -> echoOnce(t, timeout)));
    }
    Map<String, Integer> counts = new HashMap<>();
    for (Future<String> f : pods) {
      try {
        String backend = Pod.backendOf(f.get());
        if (!expected.containsKey(backend)) {
          return "unexpected backend " + backend;
        }
        counts.merge(backend, 1, Integer::sum);
      } catch (java.util.concurrent.ExecutionException e) {
        return "probe failed: " + e.getCause();
      }
    }
    Set<String> positive = new TreeSet<>();
    expected.forEach((b, w) -> {
      if (w > 0) {
        positive.add(b);
      }
    });
    if (!positive.equals(new TreeSet<>(counts.keySet()))) {
      return "backends seen " + new TreeSet<>(counts.keySet()) + ", expected " + positive;
    }
    for (var e : expected.entrySet()) {
      double share = counts.getOrDefault(e.getKey(), 0) / (double) total;
      if (Math.abs(share - e.getValue()) > tolerance) {
        return String.format(Locale.ROOT, "backend %s got %.3f, expected %.3f +- %.2f; counts %s",
            e.getKey(), share, e.getValue(), tolerance, counts);
      }
    }
    return null;
  }

  /**
   * {@code tlsConnectionRejected}: a TLS handshake with SNI {@code serverName} must end in EOF or a
   * reset; an alert, a certificate error, a timeout or a completed handshake are not rejections.
   */
  private void tlsRejected(JsonNode c, Supplier<Target> target) throws InterruptedException {
    long deadline = System.nanoTime() + timing.maxTimeToConsistency().toNanos();
    String last = "no attempt";
    while (System.nanoTime() - deadline < 0) {
      Target t = target.get();
      try (Socket s = new Socket()) {
        s.connect(t.socketAddress(), (int) timing.requestTimeout().toMillis());
        s.setSoTimeout((int) timing.requestTimeout().toMillis());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[]{new TrustAll()}, null);
        SSLSocket tls = (SSLSocket) ctx.getSocketFactory().createSocket(s,
            c.path("serverName").asText(), t.socketAddress().getPort(), true);
        SSLParameters params = tls.getSSLParameters();
        params.setServerNames(List.of(new SNIHostName(c.path("serverName").asText())));
        params.setProtocols(new String[]{"TLSv1.3", "TLSv1.2"});
        tls.setSSLParameters(params);
        tls.startHandshake();
        last = "the handshake completed";
      } catch (IOException e) {
        if (rejection(e)) {
          return;
        }
        last = e.toString();
      } catch (GeneralSecurityException e) {
        throw new AssertionFailure("tlsConnectionRejected: " + e);
      }
      Thread.sleep(timing.retryDelay().toMillis());
    }
    throw new AssertionFailure("tlsConnectionRejected: " + last + " (no EOF or reset within "
        + timing.maxTimeToConsistency().toSeconds() + " s)");
  }

  /** EOF or connection reset, also when the JDK wraps it in an SSLException. */
  static boolean rejection(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof EOFException) {
        return true;
      }
      String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
      if (t instanceof SocketException && (m.contains("reset") || m.contains("broken pipe"))) {
        return true;
      }
      if (t instanceof SSLException && (m.contains("remote host terminated")
          || m.contains("connection reset"))) {
        return true;
      }
      if (t instanceof SSLException && m.contains("alert")) {
        return false;
      }
    }
    return false;
  }

  private Socket open(Target t, JsonNode clientTls, Duration timeout)
      throws IOException, GeneralSecurityException {
    Socket s = new Socket();
    try {
      s.connect(t.socketAddress(), (int) timeout.toMillis());
      s.setSoTimeout((int) timeout.toMillis());
      if (!clientTls.isObject()) {
        return s;
      }
      String serverName = clientTls.path("serverName").asText();
      JsonNode from = clientTls.path("trustedCertFrom");
      String ref = from.path("kind").asText() + "/" + from.path("namespace").asText() + "/"
          + from.path("name").asText() + "/" + from.path("key").asText();
      String pem = generated.apply(ref);
      if (pem == null) {
        throw new GeneralSecurityException("no generated certificate " + ref);
      }
      SSLSocket tls = (SSLSocket) TlsTrust.trustingOnly(pem).getSocketFactory().createSocket(s,
          serverName, t.socketAddress().getPort(), true);
      SSLParameters params = tls.getSSLParameters();
      params.setServerNames(List.of(new SNIHostName(serverName)));
      params.setProtocols(new String[]{"TLSv1.3", "TLSv1.2"});
      tls.setSSLParameters(params);
      tls.startHandshake();
      TlsTrust.GO_HOSTNAME_CHECK.verify(tls.getSession(), serverName);
      return tls;
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      s.close();
      throw e;
    }
  }

  private static BufferedReader reader(Socket s) throws IOException {
    return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
  }

  /** One line with its {@code \n}; EOF before it is an error. */
  private static String line(BufferedReader in) throws IOException {
    StringBuilder b = new StringBuilder();
    int ch;
    while ((ch = in.read()) != -1) {
      b.append((char) ch);
      if (ch == '\n') {
        return b.toString();
      }
    }
    throw new EOFException("connection closed after " + quote(b.toString()));
  }

  private static String ask(OutputStream out, BufferedReader in, String command)
      throws IOException {
    out.write((command + "\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
    return line(in);
  }

  private static Duration duration(JsonNode text, Duration fallback) {
    return text.isTextual()
        ? Duration.parse("PT" + text.asText().toUpperCase(Locale.ROOT))
        : fallback;
  }

  private static String quote(String s) {
    return "\"" + s.replace("\n", "\\n") + "\"";
  }

  /** Accepts any server certificate: only the way the handshake ends matters. */
  private static final class TrustAll implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
