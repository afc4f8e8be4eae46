package io.gatehouse.bench;

import io.gatehouse.bench.RouteFixture.Probe;
import io.gatehouse.proxy.route.RouteEntry;
import io.gatehouse.proxy.route.RouteTable;
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
import org.openjdk.jmh.annotations.Warmup;
import org.jspecify.annotations.Nullable;

/**
 * Route selection as the proxy does it once per request: virtual host by {@code Host}, then the
 * path index, then method/header/query conditions on the remaining candidates only. The number of
 * routes grows 1,000-fold between the smallest and largest table; a lookup should not.
 *
 * <p>
 * {@code hit} cycles through 1,024 requests that each select a known route (every kind of
 * condition, exact and wildcard hosts); {@code miss} asks for a known host with an unknown path and
 * an unknown host.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+UseParallelGC"})
public class RouteLookupBenchmark {
  private static final int SAMPLE = 1024;

  @Param({"10", "1000", "10000"})
  public int routes;

  private RouteTable table;
  private Probe[] probes;
  private Probe[] distinctProbes;
  private Probe knownHostUnknownPath;
  private Probe unknownHost;
  private int next;

  @Setup(Level.Trial)
  public void setUp() {
    RouteFixture fixture = RouteFixture.of(routes);
    table = fixture.table();
    probes = fixture.sample(SAMPLE, 42);
    distinctProbes = fixture.distinctSample(SAMPLE, 42);
    Probe any = fixture.probes().get(0);
    knownHostUnknownPath = new Probe(any.authority(), "GET", "/nowhere/at/all", "",
        any.headers(), "");
    unknownHost = new Probe("unknown.example.org", "GET", "/api/v1/x", "", any.headers(), "");
  }

  @Benchmark
  public @Nullable RouteEntry hit() {
    Probe p = probes[next++ & (SAMPLE - 1)];
    return table.select(p.authority(), p.request());
  }

  /**
   * As {@code hit}, with 1,024 distinct request objects at every table size (see
   * {@link RouteFixture#distinctSample}), so that only the table's cost can grow with its size.
   */
  @Benchmark
  public @Nullable RouteEntry hitDistinctRequests() {
    Probe p = distinctProbes[next++ & (SAMPLE - 1)];
    return table.select(p.authority(), p.request());
  }

  @Benchmark
  public @Nullable RouteEntry miss() {
    Probe p = (next++ & 1) == 0 ? knownHostUnknownPath : unknownHost;
    return table.select(p.authority(), p.request());
  }
}
