package io.gatehouse.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code gatehouse} command: dispatches to its subcommands. */
@Command(name = "gatehouse", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class, description = "A Kubernetes Gateway API ingress gateway with its own proxy.", subcommands = {
    StandaloneCommand.class,
    SettingsCommand.class,
    DemoCommand.class,
    EchoCommand.class,
    TranslateCommand.class,
    ConformanceCommand.class,
    VersionCommand.class,
    CommandLine.HelpCommand.class})
public final class Main implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    quietLeakDetector();
    System.exit(commandLine().execute(args));
  }

  /**
   * Netty's default leak detector records a stack trace for one buffer in 128, a few percent of the
   * proxy's CPU per request; it is off unless {@code -Dio.netty.leakDetection.level} asks for it
   * (the tests run it at {@code paranoid}). Must run before Netty is loaded.
   */
  static void quietLeakDetector() {
    if (System.getProperty("io.netty.leakDetection.level") == null
        && System.getProperty("io.netty.leakDetectionLevel") == null) {
      System.setProperty("io.netty.leakDetection.level", "disabled");
    }
  }

  /** The configured command line, also used by tests. */
  static CommandLine commandLine() {
    return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true);
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
