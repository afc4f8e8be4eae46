package io.gatehouse.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.testing.grpc.echo.EchoRequest;
import io.gatehouse.testing.grpc.echo.EchoResponse;
import io.gatehouse.testing.grpc.echo.GrpcEchoGrpc;
import io.grpc.ClientInterceptors;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The gRPC traffic cases of README.md "gRPC cases" (Go {@code conformance/utils/grpc}): a unary
 * call of {@code Echo}, {@code EchoTwo} or {@code EchoThree} over plaintext HTTP/2 with prior
 * knowledge to the Gateway, with {@code :authority} = the case's {@code authority} or else the
 * dialed {@code address:port}, and the case's metadata. A call passes when its status code is the
 * expected one and, for OK, the echo reports the expected full method, the namespace (only when the
 * case names one) and a pod starting with {@code backend}. An HTTP 404 from the Gateway arrives as
 * UNIMPLEMENTED (grpc-java maps it so, as grpc-go does).
 *
 * <p>
 * Like the Go client, one channel (one HTTP/2 connection) serves all attempts of a case and is
 * replaced after an INTERNAL status; the weighted check opens one per batch of calls, shared by the
 * concurrent callers.
 */
final class GrpcChecks {
  static final String SERVICE = "gateway_api_conformance.echo_basic.grpcecho.GrpcEcho";

  private final TrafficChecks.Timing timing;

  GrpcChecks(TrafficChecks.Timing timing) {
    this.timing = timing;
  }

  /** {@code grpc}: converges (3 passes in a row within 30 s) on the expected answer. */
  void grpc(JsonNode c, Supplier<Target> target) throws InterruptedException {
    converge(c, target, false);
  }

  /** {@code grpcFailure}: converges on calls that end with any non-OK code; OK fails at once. */
  void grpcFailure(JsonNode c, Supplier<Target> target) throws InterruptedException {
    converge(c, target, true);
  }

  private void converge(JsonNode c, Supplier<Target> target, boolean failure)
      throws InterruptedException {
    String what = failure ? "grpcFailure" : "gRPC";
    long deadline = System.nanoTime() + timing.maxTimeToConsistency().toNanos();
    int inRow = 0;
    int attempts = 0;
    String last = "no attempt";
    Connection connection = new Connection(c);
    try {
      while (System.nanoTime() - deadline < 0) {
        attempts++;
        Result r = connection.call(target.get(), c, false);
        String problem;
        if (failure) {
          if (r.code() == Status.Code.OK) {
            throw new AssertionFailure(what + " " + describe(c) + ": the call succeeded"
                + " (answered by pod '" + r.pod() + "')");
          }
          problem = null;
        } else {
          problem = compare(c, r);
        }
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
    } finally {
      connection.close();
    }
    throw new AssertionFailure(what + " " + describe(c) + ": " + last + " (not "
        + timing.requiredSuccesses() + " passes in a row within "
        + timing.maxTimeToConsistency().toSeconds() + " s, " + attempts + " attempts)");
  }

  /**
   * {@code weightedDistribution} with a {@code type: grpc} probe (GRPCRouteWeight): the probe
   * converges, then batches of {@code totalRequests} calls ({@code concurrency} at a time, one
   * shared channel per batch, metadata {@code x-jitter} on about half with {@code entropy}); every
   * call must pass the probe's comparison, and the answering pods' backends must fit
   * {@code expectedWeights} ({@link TrafficChecks#distributionProblem}). Up to {@code maxAttempts}
   * batches.
   */
  void weighted(JsonNode c, Supplier<Target> target) throws InterruptedException {
    JsonNode probe = c.path("probe");
    converge(probe, target, false);
    Map<String, Double> weights = new HashMap<>();
    c.path("expectedWeights").fields()
        .forEachRemaining(e -> weights.put(e.getKey(), e.getValue().asDouble()));
    int total = c.path("totalRequests").asInt(500);
    double tolerance = c.path("tolerance").asDouble(0.05);
    int maxAttempts = c.path("maxAttempts").asInt(10);
    boolean entropy = c.hasNonNull("entropy");
    String last = "";
    ExecutorService pool = Executors.newFixedThreadPool(c.path("concurrency").asInt(10));
    try {
      for (int attempt = 1; attempt <= maxAttempts; attempt++) {
        last = distribution(probe, target.get(), pool, total, entropy, weights, tolerance);
        if (last == null) {
          return;
        }
      }
    } finally {
      pool.shutdownNow();
    }
    throw new AssertionFailure("weightedDistribution gRPC " + describe(probe) + ": " + last
        + " (after " + maxAttempts + " attempts)");
  }

  private String distribution(JsonNode probe, Target t, ExecutorService pool, int total,
      boolean entropy, Map<String, Double> weights, double tolerance)
      throws InterruptedException {
    Map<String, Integer> counts = new HashMap<>();
    Connection connection = new Connection(probe);
    try {
      List<Future<String>> results = new ArrayList<>();
      for (int i = 0; i < total; i++) {
        boolean jitter = entropy && ThreadLocalRandom.current().nextBoolean();
        results.add(pool.submit(() -> {
          Result r = connection.call(t, probe, jitter);
          String problem = compare(probe, r);
          if (problem == null) {
            synchronized (counts) {
              counts.merge(Pod.backendOf(r.pod()), 1, Integer::sum);
            }
          }
          return problem;
        }));
      }
      String error = null;
      for (Future<String> f : results) {
        try {
          String p = f.get();
          error = error == null ? p : error;
        } catch (ExecutionException e) {
          error = "call crashed: " + e.getCause();
        }
      }
      return error != null
          ? "a call failed: " + error
          : TrafficChecks.distributionProblem(counts, weights, total, tolerance);
    } finally {
      connection.close();
    }
  }

  /** Null when the call's result is what the case expects (Go {@code compareResponse}). */
  static String compare(JsonNode c, Result r) {
    String expected = c.path("response").path("code").asText("OK");
    Status.Code want = code(expected);
    if (r.code() != want) {
      return "expected status " + expected + ", got " + r.code()
          + (r.description() == null ? "" : " (" + r.description() + ")");
    }
    if (want != Status.Code.OK) {
      return null;
    }
    String method = fullMethod(c);
    if (!method.equals(r.fullMethod())) {
      return "expected the method " + method + ", the echo saw " + r.fullMethod();
    }
    String ns = c.path("namespace").asText("");
    if (!ns.isEmpty() && !ns.equals(r.namespace())) {
      return "expected namespace " + ns + ", got '" + r.namespace() + "'";
    }
    String backend = c.path("backend").asText("");
    if (!r.pod().startsWith(backend)) {
      return "expected a pod of " + backend + ", answered by '" + r.pod() + "'";
    }
    return null;
  }

  /**
   * A status code by its Go name ({@code OK}, {@code Unimplemented}, {@code DeadlineExceeded},
   * {@code Canceled}...), its Java name or its number.
   */
  static Status.Code code(String name) {
    if (name.matches("\\d+")) {
      return Status.fromCodeValue(Integer.parseInt(name)).getCode();
    }
    String flat = name.replace("_", "").toUpperCase(Locale.ROOT);
    if (flat.equals("CANCELED")) {
      return Status.Code.CANCELLED;
    }
    for (Status.Code code : Status.Code.values()) {
      if (code.name().replace("_", "").equals(flat)) {
        return code;
      }
    }
    throw new AssertionFailure("unknown gRPC status code in the case: " + name);
  }

  /** The case's {@code fullMethod}, else the one its {@code method} names. */
  static String fullMethod(JsonNode c) {
    return c.hasNonNull("fullMethod")
        ? c.path("fullMethod").asText()
        : "/" + SERVICE + "/" + c.path("method").asText("Echo");
  }

  static String describe(JsonNode c) {
    String name = c.hasNonNull("testCaseName") ? c.path("testCaseName").asText() + ": " : "";
    return name + (c.hasNonNull("authority") ? c.path("authority").asText() : "")
        + fullMethod(c) + (c.path("metadata").isEmpty() ? "" : " " + c.path("metadata"));
  }

  /**
   * What one call ended with.
   *
   * @param code the status code
   * @param description the status description, if any
   * @param fullMethod the {@code fully_qualified_method} the echo reported ("" unless OK)
   * @param namespace the echo's {@code context.namespace} ("" unless OK)
   * @param pod the echo's {@code context.pod} ("" unless OK)
   */
  record Result(Status.Code code, String description, String fullMethod, String namespace,
      String pod) {
    static Result of(EchoResponse r) {
      return new Result(Status.Code.OK, null, r.getAssertions().getFullyQualifiedMethod(),
          r.getAssertions().getContext().getNamespace(), r.getAssertions().getContext().getPod());
    }

    static Result of(Status s) {
      return new Result(s.getCode(), s.getDescription(), "", "", "");
    }
  }

  /**
   * The channel of one case (Go's {@code DefaultClient}): opened on the first call to the target's
   * socket address with the case's authority, kept across calls, replaced after INTERNAL.
   * Thread-safe.
   */
  private final class Connection {
    private final String authority;
    private ManagedChannel channel;
    private String dialed;

    Connection(JsonNode c) {
      this.authority = c.hasNonNull("authority") && !c.path("authority").asText().isEmpty()
          ? c.path("authority").asText()
          : null;
    }

    private synchronized ManagedChannel channel(Target t) {
      String to = t.socketAddress().toString();
      if (channel != null && !to.equals(dialed)) {
        channel.shutdownNow();
        channel = null;
      }
      if (channel == null) {
        // The Go client dials "<address>:<listener port>", which is also its default authority;
        // with a port offset the socket differs from what the Host/authority names.
        channel = Grpc.newChannelBuilderForAddress(t.address(), t.socketAddress().getPort(),
            InsecureChannelCredentials.create())
            .overrideAuthority(authority != null ? authority : t.address() + ":" + t.port())
            .build();
        dialed = to;
      }
      return channel;
    }

    private synchronized void reset(ManagedChannel broken) {
      if (channel == broken) {
        channel.shutdownNow();
        channel = null;
      }
    }

    Result call(Target t, JsonNode c, boolean jitter) {
      ManagedChannel ch = channel(t);
      Metadata md = new Metadata();
      c.path("metadata").fields().forEachRemaining(e -> md.put(
          Metadata.Key.of(e.getKey().toLowerCase(Locale.ROOT), Metadata.ASCII_STRING_MARSHALLER),
          e.getValue().asText()));
      if (jitter) {
        md.put(Metadata.Key.of("x-jitter", Metadata.ASCII_STRING_MARSHALLER),
            Integer.toString(ThreadLocalRandom.current().nextInt(10_000)));
      }
      MethodDescriptor<EchoRequest, EchoResponse> method = switch (c.path("method")
          .asText("Echo")) {
        case "Echo" -> GrpcEchoGrpc.getEchoMethod();
        case "EchoTwo" -> GrpcEchoGrpc.getEchoTwoMethod();
        case "EchoThree" -> GrpcEchoGrpc.getEchoThreeMethod();
        default -> throw new AssertionFailure("unknown gRPC method in the case: "
            + c.path("method").asText());
      };
      try {
        EchoResponse r = ClientCalls.blockingUnaryCall(
            ClientInterceptors.intercept(ch, MetadataUtils.newAttachHeadersInterceptor(md)),
            method, io.grpc.CallOptions.DEFAULT.withDeadlineAfter(
                timing.requestTimeout().toMillis(), TimeUnit.MILLISECONDS),
            EchoRequest.getDefaultInstance());
        return Result.of(r);
      } catch (StatusRuntimeException e) {
        Status s = e.getStatus();
        if (s.getCode() == Status.Code.INTERNAL) {
          reset(ch);
        } else if (s.getCode() == Status.Code.UNAVAILABLE) {
          // Not in Go: retry the connection at once instead of after grpc's growing backoff.
          ch.resetConnectBackoff();
        }
        return Result.of(s);
      }
    }

    synchronized void close() {
      if (channel != null) {
        channel.shutdownNow();
        channel = null;
      }
    }
  }
}
