package io.gatehouse.app;

import java.util.Objects;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

/** Prints the version of Gatehouse and of the Java runtime it runs on. */
@Command(name = "version", mixinStandardHelpOptions = true, header = "Print the version.", description = "Print the version of Gatehouse and of the Java runtime it runs on.")
final class VersionCommand implements Runnable {
  @Override
  public void run() {
    for (String line : new Provider().getVersion()) {
      System.out.println(line);
    }
  }

  /** Reads the version from the jar manifest ({@code Implementation-Version}). */
  static final class Provider implements IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = Objects.requireNonNullElse(
          Main.class.getPackage().getImplementationVersion(), "development build");
      return new String[]{
          "gatehouse " + version,
          "java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"};
    }
  }
}
