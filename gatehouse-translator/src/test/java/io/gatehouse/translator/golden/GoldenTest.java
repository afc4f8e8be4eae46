package io.gatehouse.translator.golden;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import io.gatehouse.translator.ResultFormat;
import io.gatehouse.translator.Translator;
import io.gatehouse.translator.TranslatorOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden translation tests: every {@code src/test/resources/golden/<kind>/<scenario>.in.yaml} is
 * translated and compared with {@code <scenario>.out.yaml}; {@code -Dgolden.update=true} rewrites
 * the expectations instead. See the README in that folder.
 */
class GoldenTest {
  private static final Path ROOT = Path.of("src/test/resources/golden");

  static Stream<String> scenarios() throws IOException {
    try (Stream<Path> files = Files.walk(ROOT)) {
      return files.filter(p -> p.toString().endsWith(".in.yaml"))
          .map(p -> ROOT.relativize(p).toString())
          .sorted()
          .toList()
          .stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void translatesAsRecorded(String scenario) throws IOException {
    Path in = ROOT.resolve(scenario);
    String input = Files.readString(in, StandardCharsets.UTF_8);
    assertThat(input).as("first line of %s", scenario).startsWith("# Proves: ");
    var snapshot = SnapshotLoader.load(input);
    String before = snapshot.toString();
    String actual = ResultFormat.toYaml(new Translator(TranslatorOptions.defaults())
        .translate(snapshot));
    assertThat(snapshot.toString()).as("inputs are not mutated").isEqualTo(before);
    assertThat(ResultFormat.toYaml(new Translator(TranslatorOptions.defaults())
        .translate(snapshot))).as("deterministic").isEqualTo(actual);
    Path out = ROOT.resolve(scenario.replace(".in.yaml", ".out.yaml"));
    if (Boolean.getBoolean("golden.update")) {
      Files.writeString(out, actual, StandardCharsets.UTF_8);
      return;
    }
    String expected = Files.exists(out) ? Files.readString(out, StandardCharsets.UTF_8) : "";
    if (!expected.equals(actual)) {
      fail("golden mismatch for " + scenario + " (run with -Dgolden.update=true to accept):\n"
          + UnifiedDiff.diff(out.toString(), expected, "actual", actual));
    }
  }
}
