package io.gatehouse.bench;

import io.gatehouse.translator.ResourceSnapshot;
import io.gatehouse.translator.TranslationResult;
import io.gatehouse.translator.Translator;
import io.gatehouse.translator.TranslatorOptions;
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

/**
 * The pure translator on {@code routes} HTTPRoutes (see {@link ScaleManifests}: one Gateway, two
 * rules per route, one Service per ten routes), parsed from YAML into fabric8 objects once in the
 * setup: what the control plane does on every change of a large cluster. The goal is 10,000
 * HTTPRoutes in at most 200 ms.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+UseParallelGC"})
public class TranslateBenchmark {
  @Param({"100", "1000", "10000"})
  public int routes;

  private ResourceSnapshot snapshot;
  private Translator translator;

  @Setup(Level.Trial)
  public void setUp() {
    snapshot = new ScaleManifests(routes, "127.0.0.1", 8080, "127.0.0.1", 9001).snapshot();
    translator = new Translator(TranslatorOptions.defaults());
  }

  @Benchmark
  public TranslationResult translate() {
    return translator.translate(snapshot);
  }
}
