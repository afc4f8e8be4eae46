package io.gatehouse.testing;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.LoggerFactory;

/**
 * Collects Netty's {@code LEAK:} reports (logged by {@link ResourceLeakDetector}) so a test class
 * can fail on them. Surefire runs with {@code -Dio.netty.leakDetection.level=paranoid}.
 */
final class LeakReports {

  private static final List<String> REPORTS = new CopyOnWriteArrayList<>();

  static {
    AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
      @Override
      protected void append(ILoggingEvent event) {
        if (event.getFormattedMessage().contains("LEAK:")) {
          REPORTS.add(event.getFormattedMessage());
        }
      }
    };
    appender.start();
    ((Logger) LoggerFactory.getLogger(ResourceLeakDetector.class)).addAppender(appender);
  }

  private LeakReports() {
  }

  /** Installs the collector; call before the code under test allocates. */
  static void install() {
    // The static initializer does the work.
  }

  /**
   * Runs a few GC rounds (leaks are reported on a later allocation) and asserts none were reported.
   */
  static void assertNone() throws InterruptedException {
    for (int round = 0; round < 5; round++) {
      System.gc();
      for (int i = 0; i < 100; i++) {
        ByteBufAllocator.DEFAULT.buffer(16).release();
      }
      Thread.sleep(20);
    }
    assertThat(REPORTS).as("Netty leak reports").isEmpty();
  }
}
