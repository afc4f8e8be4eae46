package io.gatehouse.app;

import io.gatehouse.standalone.StandaloneGateway;
import io.gatehouse.standalone.StandaloneOptions;
import io.gatehouse.standalone.file.FileSource;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs the bundled quickstart: starts an echo backend for every endpoint of the example's
 * EndpointSlices, serves the example, and prints curl commands to try.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, header = "Run the quickstart example with its echo backends.", description = "Run the quickstart example (examples/quickstart): echo backends for its EndpointSlices, the gateway serving it, and the curl commands to try. Edit the example's files while it runs to see changes applied live.")
final class DemoCommand implements Runnable {
  /** Used when port 80 cannot be bound (not root): the example's port 80 becomes 10080. */
  static final int FALLBACK_PORT_OFFSET = 10000;

  @Option(names = "--config-dir", description = "Serve this directory instead of the bundled example.")
  @Nullable
  Path configDir;

  @Option(names = "--admin-port", defaultValue = "19000", description = "Admin API port on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
  int adminPort;

  @Option(names = "--port-offset", description = "Added to listener ports (default: 0 when port 80 can be bound, else 10000).")
  @Nullable
  Integer portOffset;

  @Override
  public void run() {
    Path dir = configDir != null ? configDir : ExampleDirectory.quickstart();
    int offset = portOffset != null ? portOffset : (canBindPort80() ? 0 : FALLBACK_PORT_OFFSET);
    DemoBackends backends = DemoBackends.start(FileSource.loadOnce(dir).objects());
    StandaloneGateway gateway = StandaloneCommand.start(StandaloneOptions.defaults(dir)
        .withAdminPort(adminPort)
        .withPortOffset(offset));
    Shutdown shutdown = Shutdown.closeOnExit(backends, gateway);
    printWelcome(dir, backends, gateway, offset);
    shutdown.await();
  }

  private void printWelcome(Path dir, DemoBackends backends, StandaloneGateway gateway,
      int offset) {
    try {
      if (!gateway.awaitGeneration(1, Duration.ofSeconds(30))) {
        System.err.println("The configuration was not applied within 30 s; see the log above.");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    System.out.println();
    System.out.println("Gatehouse is serving " + dir);
    System.out.println(
        backends.size() + " echo backends started; each answers with JSON naming its pod.");
    if (offset != 0) {
      System.out
          .println("Port 80 needs root here, so listener ports are shifted by " + offset + ".");
    }
    System.out.println("Try:");
    for (String curl : CurlExamples.of(gateway.statusStore().config(), offset)) {
      System.out.println(curl);
    }
    System.out.println();
    System.out.println("Admin API: http://127.0.0.1:" + gateway.adminPort()
        + "/ready, /objects (status of every object), /config_dump, /errors");
    System.out.println("Press Ctrl-C to stop.");
  }

  private static boolean canBindPort80() {
    try (ServerSocket probe = new ServerSocket(80, 1, InetAddress.getByName("127.0.0.1"))) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
