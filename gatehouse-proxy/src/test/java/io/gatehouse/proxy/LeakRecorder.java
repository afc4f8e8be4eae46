package io.gatehouse.proxy;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.List;

/** Logback appender that keeps every Netty resource leak report ("LEAK: ...") of the test JVM. */
public final class LeakRecorder extends AppenderBase<ILoggingEvent> {
  private static final List<String> leaks = new ArrayList<>();

  @Override
  protected void append(ILoggingEvent event) {
    String message = event.getFormattedMessage();
    if (message != null && message.contains("LEAK:")) {
      synchronized (leaks) {
        leaks.add(message);
      }
    }
  }

  /** The reports recorded since the last call, which clears them. */
  public static List<String> drain() {
    synchronized (leaks) {
      List<String> copy = List.copyOf(leaks);
      leaks.clear();
      return copy;
    }
  }
}
