package io.gatehouse.app;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes long-running resources when the JVM is asked to stop (Ctrl-C, SIGTERM), in reverse order
 * of registration, and lets the main thread wait for that.
 */
final class Shutdown {
  private static final Logger log = LoggerFactory.getLogger(Shutdown.class);
  private final CountDownLatch closed = new CountDownLatch(1);

  private Shutdown() {
  }

  /** Registers a shutdown hook closing {@code resources} last-first. */
  static Shutdown closeOnExit(AutoCloseable... resources) {
    Shutdown shutdown = new Shutdown();
    List<AutoCloseable> list = List.of(resources).reversed();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      for (AutoCloseable resource : list) {
        try {
          resource.close();
        } catch (Exception e) {
          log.warn("Closing {} failed", resource, e);
        }
      }
      shutdown.closed.countDown();
    }, "gatehouse-shutdown"));
    return shutdown;
  }

  /** Blocks until the shutdown hook has closed everything. */
  void await() {
    try {
      closed.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
