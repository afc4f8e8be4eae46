package io.gatehouse.app;

import io.gatehouse.proxy.ProxyOptions;
import io.gatehouse.standalone.settings.InvalidSettingsException;
import io.gatehouse.standalone.settings.SettingsFile;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Prints the effective data-plane settings: the defaults, merged with a settings file. */
@Command(name = "settings", mixinStandardHelpOptions = true, header = "Print the effective data-plane settings as YAML.", description = "Print the data plane's settings (limits, timeouts, path and header policies, workers) as a settings file: the defaults, merged with --settings FILE when given. Copy the output to start a settings file. A file that is not valid is reported with the field's path (exit code 1). `gatehouse standalone ... --print-settings` shows the settings with its flags applied too.")
final class SettingsCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--settings", paramLabel = "FILE", description = "A settings file (YAML; see docs/configuration.md, \"Settings file\").")
  @Nullable
  Path settings;

  @Override
  public Integer call() {
    return print(spec, settings, UnaryOperator.identity());
  }

  /**
   * Prints the settings of {@code file} (the defaults without one) changed by {@code flags}; 1 and
   * the error on stderr when the file is not valid settings.
   */
  static int print(CommandSpec spec, @Nullable Path file, UnaryOperator<ProxyOptions> flags) {
    ProxyOptions options;
    try {
      options = flags.apply(load(file));
    } catch (InvalidSettingsException e) {
      return fail(spec, e);
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println("# Effective Gatehouse settings: the defaults"
        + (file == null ? "" : ", merged with " + file) + ". Read at startup only.");
    out.print(SettingsFile.toYaml(options));
    out.flush();
    return 0;
  }

  /** The settings in {@code file}, or the defaults when there is none. */
  static ProxyOptions load(@Nullable Path file) {
    return file == null ? ProxyOptions.defaults() : SettingsFile.load(file);
  }

  /** Reports invalid settings on stderr; the exit code, 1. */
  static int fail(CommandSpec spec, InvalidSettingsException e) {
    PrintWriter err = spec.commandLine().getErr();
    err.println("error: " + e.getMessage());
    err.flush();
    return 1;
  }
}
