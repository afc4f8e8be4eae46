package io.gatehouse.bench;

import io.gatehouse.bench.PathMix.Sample;
import io.gatehouse.model.PathPolicy;
import io.gatehouse.proxy.edge.PathCanonicalizer;
import io.gatehouse.proxy.edge.PathCanonicalizer.Result;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Path canonicalisation with the default policy, once per request before routing: {@code mix}
 * cycles through 1,024 paths drawn from {@link PathMix} by weight; {@code clean} through the clean
 * paths only (nothing to change, the common case).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+UseParallelGC"})
public class PathCanonicalizerBenchmark {
  private static final int SAMPLE = 1024;

  private Sample[] mix;
  private String[] clean;
  private int next;

  @Setup(Level.Trial)
  public void setUp() {
    mix = PathMix.mix(SAMPLE, 42);
    clean = PathMix.clean().stream().map(Sample::path).toArray(String[]::new);
  }

  @Benchmark
  public Result mix() {
    return PathCanonicalizer.canonicalize(mix[next++ & (SAMPLE - 1)].path(), PathPolicy.DEFAULT);
  }

  @Benchmark
  public Result clean() {
    String path = clean[next];
    next = next + 1 == clean.length ? 0 : next + 1;
    return PathCanonicalizer.canonicalize(path, PathPolicy.DEFAULT);
  }
}
