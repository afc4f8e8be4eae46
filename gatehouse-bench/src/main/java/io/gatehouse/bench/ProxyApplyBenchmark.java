package io.gatehouse.bench;

import io.gatehouse.model.GatewayConfig;
import io.gatehouse.model.HttpListener;
import io.gatehouse.proxy.BindFailure;
import io.gatehouse.proxy.GatewayProxy;
import io.gatehouse.proxy.ProxyOptions;
import io.gatehouse.proxy.route.RouteTable;
import io.gatehouse.translator.Translator;
import io.gatehouse.translator.TranslatorOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Applying a translated model to a running proxy: {@code apply} builds the route table of every
 * listener (compiled matchers, path index, host index, upstream clusters) and swaps it into the
 * bound listener. The listener is bound once, in the setup, on a free loopback port; every measured
 * {@code apply} keeps it and only swaps the table, as a configuration change does.
 * {@code buildTable} is the table construction alone.
 *
 * <p>
 * {@code routes} HTTPRoutes of {@link ScaleManifests} (two model routes each).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+UseParallelGC"})
public class ProxyApplyBenchmark {
  @Param({"100", "1000", "10000"})
  public int routes;

  private List<GatewayConfig> configs;
  private HttpListener listener;
  private GatewayProxy proxy;
  private long version;

  @Setup(Level.Trial)
  public void setUp() {
    configs = translate(routes, freeLoopbackPort());
    GatewayConfig gw = configs.get(0);
    listener = (HttpListener) gw.listeners().get(0);
    proxy = GatewayProxy.start(ProxyOptions.defaults().withWorkerThreads(1));
    List<BindFailure> failures = proxy.apply(++version, configs);
    if (!failures.isEmpty()) {
      proxy.close();
      throw new IllegalStateException("listener did not bind: " + failures);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    proxy.close();
  }

  @Benchmark
  public List<BindFailure> apply() {
    return proxy.apply(++version, configs);
  }

  @Benchmark
  public RouteTable buildTable() {
    return RouteTable.of(listener, configs.get(0).clusters());
  }

  /** The proxy configuration of {@code routes} HTTPRoutes, listening on 127.0.0.1:{@code port}. */
  static List<GatewayConfig> translate(int routes, int port) {
    return new Translator(TranslatorOptions.defaults())
        .translate(new ScaleManifests(routes, "127.0.0.1", port, "127.0.0.1", 9).snapshot())
        .gateways();
  }

  /** A loopback port that was free a moment ago. */
  static int freeLoopbackPort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
