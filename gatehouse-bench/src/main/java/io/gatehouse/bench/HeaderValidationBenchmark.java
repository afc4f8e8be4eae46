package io.gatehouse.bench;

import io.gatehouse.bench.HeaderSets.HeaderSet;
import io.gatehouse.model.HeaderPolicy;
import io.gatehouse.proxy.edge.EdgeHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;
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
 * The edge header rules with the default policy ({@link EdgeHeaders}), once per request: field
 * count, underscores, gateway-internal and untrusted forwarding headers ({@code admit}), then the
 * forwarding headers the gateway sets ({@code setForwarding}), on the header sets of
 * {@link HeaderSets} in turn. {@code admit} edits headers in place, so each call works on a fresh
 * copy; {@code copyOnly} measures that copy alone, to subtract.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+UseParallelGC"})
public class HeaderValidationBenchmark {
  private HeaderSet[] sets;
  private int next;

  @Setup(Level.Trial)
  public void setUp() {
    List<HeaderSet> all = HeaderSets.all();
    sets = all.toArray(new HeaderSet[0]);
  }

  private HeaderSet nextSet() {
    HeaderSet s = sets[next];
    next = next + 1 == sets.length ? 0 : next + 1;
    return s;
  }

  @Benchmark
  public HttpHeaders admitAndForward() {
    HttpHeaders h = nextSet().copy();
    if (EdgeHeaders.admit(h, HeaderPolicy.DEFAULT) == null) {
      EdgeHeaders.setForwarding(h, HeaderPolicy.DEFAULT.identity(), "192.0.2.10", "https");
    }
    return h;
  }

  @Benchmark
  public HttpHeaders copyOnly() {
    return nextSet().copy();
  }
}
